"""The data releases: /data/releases/ (newest first), one release's page, its files, and
/data/releases/latest/."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView, View

from ..exports.releases import citation
from ..models import DataRelease

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _with_citation(request: HttpRequest, release: DataRelease) -> DataRelease:
    address = request.build_absolute_uri(release_url(release))
    release.citation = citation(release.version, release.as_of, address, translated=True)  # type: ignore[attr-defined]
    return release


def release_url(release: DataRelease) -> str:
    return reverse("commitments:release-detail", kwargs={"version": release.version})


class ReleaseListView(ListView):
    template_name = "commitments/release_list.html"
    context_object_name = "releases"

    def get_queryset(self):
        return [_with_citation(self.request, release) for release in DataRelease.objects.order_by("-published_on")]


class ReleaseDetailView(DetailView):
    template_name = "commitments/release_detail.html"
    context_object_name = "release"
    slug_field = slug_url_kwarg = "version"
    queryset = DataRelease.objects.all()

    def get_object(self, queryset=None):
        return _with_citation(self.request, super().get_object(queryset))


def latest_release(request: HttpRequest):
    release = DataRelease.objects.order_by("-published_on").first()
    if release is None:
        raise Http404("No data release has been published yet.")
    return redirect("commitments:release-detail", version=release.version)


class ReleaseFileView(View):
    """One file of a release, read through the storage; only the files the release lists."""

    def get(self, request: HttpRequest, version: str, name: str) -> FileResponse:
        release = get_object_or_404(DataRelease, version=version)
        if name not in release.files:
            raise Http404("No such file in this release.")
        content_type = next(
            (kind for suffix, kind in CONTENT_TYPES.items() if name.endswith(suffix)), "text/plain; charset=utf-8"
        )
        response = FileResponse(default_storage.open(f"{release.folder}/{name}", "rb"), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="commitment-tracker-{version}-{name}"'
        return response
