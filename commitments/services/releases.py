"""Data releases: who may publish one, on which dates, and the row that makes it public.

The files are written first, under a name nothing links to (exports.releases); this row,
written last, is what lists the release and serves its files. A release is never changed
or deleted afterwards: no function here does either."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Commitment, DataRelease
from . import roles


def release_version(published_on: datetime.date) -> str:
    return published_on.strftime("%Y.%m.%d")


def check_release(*, actor: roles.Actor | None, as_of: datetime.date, today: datetime.date | None = None) -> None:
    """Refuse a release the rules do not allow, before any file is written: an actor who is
    not an editor, a date in the future or before the first published commitment, or a
    second release on the same day."""
    roles.require(actor, roles.PUBLISH_RELEASE, _("Only an editor may publish a data release."))
    today = today or timezone.localdate()
    if as_of > today:
        raise ValidationError(
            _("A release cannot be as of %(as_of)s: that is in the future (today is %(today)s).")
            % {"as_of": as_of.isoformat(), "today": today.isoformat()},
            code="future",
        )
    first = Commitment.objects.published().aggregate(first=Min("made_on"))["first"]
    if first is None or as_of < first:
        raise ValidationError(
            _("A release cannot be as of %(as_of)s: the first published commitment was made on %(first)s.")
            % {"as_of": as_of.isoformat(), "first": first.isoformat() if first else _("(none yet)")},
            code="too_early",
        )
    if DataRelease.objects.filter(published_on=today).exists():
        raise ValidationError(
            _("A release was already published today (%(today)s); one a day at most, and a release never changes.")
            % {"today": today.isoformat()},
            code="same_day",
        )


def previous_release(*, today: datetime.date | None = None) -> DataRelease | None:
    today = today or timezone.localdate()
    return DataRelease.objects.filter(published_on__lt=today).order_by("-published_on").first()


@transaction.atomic
def record_release(
    *,
    actor: roles.Actor | None,
    as_of: datetime.date,
    today: datetime.date,
    folder: str,
    files: dict[str, dict],
    changelog: str,
) -> DataRelease:
    """The row that publishes a release whose files are already stored in `folder`."""
    check_release(actor=actor, as_of=as_of, today=today)
    release = DataRelease(
        version=release_version(today),
        published_on=today,
        as_of=as_of,
        published_by=actor,
        folder=folder,
        files=files,
        changelog=changelog,
    )
    release.full_clean()
    release.save()
    return release
