"""A brought-in document's original file leaves the storage with its row.

Django never deletes a FileField's file, so deleting a document (its original goes with it,
CASCADE) left the file behind: a draft's words kept on disk after the analysts removed it.
The file is deleted once the deletion is committed, never on a rollback, which would leave a
row whose file is gone. A deletion by raw SQL sends no signal and leaves the file."""

from django.db import transaction

from ...models import DocumentFile


def delete_stored_original(sender, instance: DocumentFile, using: str, **kwargs) -> None:
    """post_delete receiver for DocumentFile."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        # robust: the deletion is committed; a file the storage cannot delete is logged by
        # Django, not an error page for the editor who deleted the document.
        transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)
