"""Data releases in the admin: an editor publishes one ("Add data release": only its as-of
date is asked for); a published release is shown read-only and never deleted."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..exports.releases import ReleaseFailed, publish_release
from ..models import DataRelease
from .common import HistoryGuard


class PublishReleaseForm(forms.ModelForm):
    request: Any  # the admin's request, set by DataReleaseAdmin.get_form

    class Meta:
        model = DataRelease
        fields = ("as_of",)

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        if (as_of := cleaned.get("as_of")) is not None:
            try:
                services.check_release(actor=self.request.user, as_of=as_of, today=timezone.localdate())
            except ValidationError as error:
                self.add_error("as_of", error)
        return cleaned

    def _post_clean(self):
        pass  # the row is the service's to validate and write (publish_release), not the form's


@admin.register(DataRelease)
class DataReleaseAdmin(HistoryGuard):
    list_display = ("version", "as_of", "published_at", "published_by")
    list_select_related = ("published_by",)
    readonly_fields = (
        "version",
        "published_on",
        "as_of",
        "published_at",
        "published_by",
        "folder",
        "files",
        "changelog",
    )

    def get_fields(self, request, obj=None):
        return ("as_of",) if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change, **kwargs)
        return type("PublishReleaseFormFor", (PublishReleaseForm,), {"request": request})

    def has_change_permission(self, request, obj=None):
        return False  # a release never changes

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except (ReleaseFailed, ValidationError) as error:
            # A storage failure, or a colleague's release the same day published meanwhile.
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:commitments_datarelease_add"))

    def save_model(self, request, obj, form, change):
        release = publish_release(
            actor=request.user, as_of=form.cleaned_data["as_of"], site_url=request.build_absolute_uri("/").rstrip("/")
        )
        obj.__dict__.update(release.__dict__)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, _("Published data release %(version)s.") % {"version": obj.version})
