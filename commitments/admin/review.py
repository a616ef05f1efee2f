"""An update's own page in the admin, as its reviewer reads it: its state, author, evidence,
the commitment's criteria and what changes for the reader, with Approve and "Return with a
reason" for an editor who is not its author. The services decide (approve_status_update,
return_status_update); this page asks them and says what they answered."""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..formatting import format_as_of, format_quantity, status_badge
from ..models import ReviewState, StatusUpdate
from ..services import roles


class ReturnWithReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for returning it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Its author reads this: say what to put right."),
    )


def reading_of(update: StatusUpdate | None) -> str:
    if update is None or update.progress_value is None:
        return ""
    stage = update.get_progress_stage_display().lower() if update.progress_stage else ""
    return " ".join(filter(None, (format_quantity(update.progress_value), update.commitment.target_unit, stage)))


def verdict_of(update: StatusUpdate | None, commitment) -> str:
    """'In progress as of 19 March 2018 (250 troops pledged)', or the commitment's unassessed state."""
    if update is None:
        return str(commitment.get_current_status_display())
    words = gettext("%(status)s %(as_of)s") % {
        "status": update.get_status_display(),
        "as_of": format_as_of(update.as_of, update.as_of_precision),
    }
    reading = reading_of(update)
    return f"{words} ({reading})" if reading else words


class ReviewPage(admin.ModelAdmin):
    """StatusUpdateAdmin's own page, Approve and Return, and the queue's order: what awaits
    the signed-in editor first, then the rest of the pending ones, then the history."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(functools.partial(decide_view, self, "approve")),
                name="commitments_statusupdate_approve",
            ),
            path(
                "<path:object_id>/return/",
                self.admin_site.admin_view(functools.partial(decide_view, self, "return")),
                name="commitments_statusupdate_return",
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read-only: a past update is never edited (append-only); decisions post to their own views.
        if not self.has_view_permission(request) or request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404
        update = get_object_or_404(
            StatusUpdate.objects.select_related(
                "commitment", "recorded_by", "reviewed_by", "evidence_quote__source", "corrects"
            ),
            pk=object_id,
        )
        return TemplateResponse(
            request, "admin/commitments/statusupdate/review.html", self.review_context(request, update)
        )

    def review_context(self, request, update: StatusUpdate, return_form=None) -> dict:
        commitment = update.commitment
        previous = (
            StatusUpdate.objects.approved()
            .filter(commitment=commitment)
            .exclude(pk=update.pk)
            .filter(Q(as_of__lt=update.as_of) | Q(as_of=update.as_of, recorded_at__lt=update.recorded_at))
            .select_related("commitment")
            .newest_first()
            .first()
        )
        may_decide = (
            request.user.has_perm(roles.APPROVE_STATUS_UPDATE)
            and update.review_state == ReviewState.PENDING
            and update.recorded_by_id != request.user.pk
        )
        return {
            **self.admin_site.each_context(request),
            "title": gettext("Review a status update"),
            "subtitle": commitment.title,
            "opts": StatusUpdate._meta,
            "update": update,
            "commitment": commitment,
            "badge": status_badge(update.status, update.get_status_display()),
            "reading": reading_of(update),
            "before": verdict_of(previous, commitment),
            "after": verdict_of(update, commitment),
            "criteria": commitment.criteria.all(),
            "may_decide": may_decide,
            "own_update": update.recorded_by_id == request.user.pk,
            "return_form": return_form or ReturnWithReasonForm(),
            "queue_url": reverse("admin:commitments_statusupdate_changelist") + "?review=awaiting_me",
        }


class QueueChangeList(ChangeList):
    """The queue: what awaits the signed-in editor first, then other pending updates, then
    the rest; within each, the order asked for (newest first by default)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        awaits_me = Q(review_state=ReviewState.PENDING) & ~Q(recorded_by=request.user)
        rank = Case(
            When(awaits_me, then=Value(0)),
            When(review_state=ReviewState.PENDING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.annotate(queue_rank=rank).order_by("queue_rank", *queryset.query.order_by)


def decide_view(model_admin, decision: str, request, object_id: str):
    """Approve (one click) or return with a reason; the service refuses what its rules refuse."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm(roles.APPROVE_STATUS_UPDATE):
        raise PermissionDenied
    if not str(object_id).isdigit():
        raise Http404
    update = get_object_or_404(StatusUpdate.objects.select_related("commitment"), pk=object_id)
    page = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    queue = reverse("admin:commitments_statusupdate_changelist") + "?review=awaiting_me"
    try:
        if decision == "approve":
            services.approve_status_update(update=update, reviewer=request.user)
            messages.success(
                request,
                gettext("Approved: %(title)s now reads %(verdict)s for the public.")
                % {"title": update.commitment.title, "verdict": verdict_of(update, update.commitment)},
            )
            return HttpResponseRedirect(queue)
        form = ReturnWithReasonForm(request.POST)
        if not form.is_valid():
            context = model_admin.review_context(request, update, return_form=form)
            return TemplateResponse(request, "admin/commitments/statusupdate/review.html", context, status=400)
        services.return_status_update(update=update, reviewer=request.user, note=form.cleaned_data["note"])
        messages.success(
            request,
            gettext("Returned to %(author)s with your reason; it does not count and is not public.")
            % {"author": update.recorded_by.get_username() if update.recorded_by else gettext("its author")},
        )
        return HttpResponseRedirect(queue)
    except ValidationError as refused:
        messages.error(request, gettext("Not done: %(reason)s") % {"reason": " ".join(refused.messages)})
        return HttpResponseRedirect(page)
