"""Data releases: dated, immutable bundles of the public tables, for citation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DataRelease(models.Model):
    """One published bundle (services.publish_release writes its files, then this row).

    Never changed once written: the admin shows it read-only and no service updates it.
    Until this row exists its files are under a name nothing links to, so a release that
    failed half-way is never visible."""

    version = models.CharField(
        _("version"), max_length=20, unique=True, help_text=_("The day it was published, e.g. 2026.03.31.")
    )
    published_on = models.DateField(_("published on"), help_text=_("One release a day at most."))
    as_of = models.DateField(_("as of"), help_text=_("The data as it stood on this day (the table's as-of rules)."))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    # PROTECT: a release names who published it for as long as it exists.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_releases",
        verbose_name=_("published by"),
    )
    folder = models.CharField(_("folder"), max_length=200, help_text=_("Where its files are in the storage."))
    files = models.JSONField(_("files"), default=dict, help_text=_("Each file's name: its size in bytes and SHA-256."))
    changelog = models.TextField(_("changelog"), help_text=_("This release's CHANGELOG.md entry."))

    class Meta:
        verbose_name = _("data release")
        verbose_name_plural = _("data releases")
        ordering = ("-published_on",)
        constraints = (
            models.UniqueConstraint(fields=("published_on",), name="one_release_a_day"),
            models.CheckConstraint(condition=models.Q(as_of__lte=models.F("published_on")), name="release_not_ahead"),
        )

    def __str__(self) -> str:
        return gettext("%(version)s (as of %(as_of)s)") % {"version": self.version, "as_of": self.as_of.isoformat()}

    def get_absolute_url(self) -> str:
        return reverse("commitments:release-list") + f"#release-{self.version}"
