"""Import and export pages: thin, the work is in services, selectors and exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from maillage.core.tags import split_tag_names
from maillage.veille.imports import demo_sheet, exports, selectors, services, upkeep
from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.forms import ImportForm, MappingForm, SizeLimitUploadHandler
from maillage.veille.imports.mapping import TableMapping
from maillage.veille.imports.messages import error_message
from maillage.veille.imports.models import ImportJob, IssueKind, JobOrigin, JobStatus
from maillage.veille.imports.progress import Progress, read_progress

ISSUES_PER_PAGE = 100


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    job = selectors.import_of(request.user, pk)
    if job is None:
        raise Http404(_("No import here."))
    return job


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Starting an import -------------------------------------------------------------------------


@login_required
@csrf_exempt
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload page. The size limit is enforced while the file arrives, so the handler
    must be in place before anything reads the request body (hence CSRF checked below)."""
    handler = SizeLimitUploadHandler(request, limit=settings.IMPORT_MAX_BYTES)
    if request.method == "POST":
        cast(list[Any], request.upload_handlers).insert(0, handler)
    return _import_start(request, handler)


@csrf_protect
def _import_start(request: HttpRequest, handler: SizeLimitUploadHandler) -> HttpResponse:
    limit = settings.IMPORT_MAX_BYTES
    form = ImportForm(request.POST or None, request.FILES or None, limit=limit)
    if request.method == "POST":
        if handler.too_large:
            size = max(handler.content_length or 0, handler.received)
            form.full_clean()
            message = error_message(ErrorCode.FILE_TOO_LARGE, {"size": size, "limit": limit})
            form.errors["file"] = form.error_class([str(message)])
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.start_import(
                    owner=request.user,
                    file=upload,
                    original_name=upload.name or "",
                    settings=services.ImportSettings(
                        visibility=form.cleaned_data["visibility"],
                        tags=tuple(split_tag_names(form.cleaned_data["tags"] or "")),
                        folders_as_tags=form.cleaned_data["folders_as_tags"],
                    ),
                )
            except ImportRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                return redirect(job.get_absolute_url())
    context = {
        "form": form,
        "jobs": selectors.imports_of(request.user)[: selectors.RECENT_IMPORTS],
        "demo": settings.DEMO,
    }
    return _private(render(request, "veille_imports/start.html", context))


@require_GET
def demo_sheet_download(request: HttpRequest) -> HttpResponse:
    """The demo's Excel sheet (demo mode only): a colleague's watch, as she kept it."""
    if not settings.DEMO:
        raise Http404
    path = demo_sheet.ensure_demo_sheet()
    response = HttpResponse(path.read_bytes(), content_type=demo_sheet.XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{demo_sheet.FILE_NAME}"'
    return response


@login_required
@require_POST
def demo_sheet_import(request: HttpRequest) -> HttpResponse:
    """Start importing the demo sheet in one click: straight to the columns page."""
    if not settings.DEMO:
        raise Http404
    path = demo_sheet.ensure_demo_sheet()
    with path.open("rb") as handle:
        job = services.start_import(
            owner=request.user,
            file=File(handle, name=demo_sheet.FILE_NAME),
            original_name=demo_sheet.FILE_NAME,
            settings=services.ImportSettings(),
            origin=JobOrigin.DEMO,
        )
    return redirect(job.get_absolute_url())


# --- Checking the columns of a table ------------------------------------------------------------


def _posted_int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


@login_required
def import_mapping(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The first rows of the table with a column choice each; changing the sheet or the header
    row shows the table again (in place with htmx); "Import" queues the import."""
    job = _job_or_404(request, pk)
    if job.status != JobStatus.MAPPING:
        return redirect(job.get_absolute_url())
    sheets = services.sheet_names(job)
    data = request.POST if request.method == "POST" else None
    sheet = job.option("sheet", "")
    if data is not None and data.get("sheet") in sheets:
        sheet = data["sheet"]
    shown_header = _posted_int(data.get("shown_header")) if data is not None else None
    posted_header = _posted_int(data.get("header_line")) if data is not None else None
    same_table = data is not None and data.get("shown_sheet") == sheet
    if same_table and posted_header is not None and posted_header != shown_header:
        # Another header row: the columns are guessed again under it.
        preview = services.preview(job, sheet=sheet, header_line=posted_header)
        same_table = False
    elif same_table:
        preview = services.preview(job, sheet=sheet, header_line=shown_header)
    else:
        preview = services.preview(job, sheet=sheet)
    initial = {
        "sheet": sheet,
        "sheets_as_tags": job.option("sheets_as_tags", False),
        "header_line": preview.mapping.header_line or 0,
        "day_order": "day" if job.option("day_first", True) else "month",
    }
    if same_table and data is not None:
        form = MappingForm(data, initial=initial, sheets=sheets, preview=preview)
    else:
        kept = {key: data[key] for key in ("sheets_as_tags", "day_order") if data and key in data}
        form = MappingForm(initial={**initial, **kept}, sheets=sheets, preview=preview)
    if same_table and data is not None and data.get("action") == "import" and form.is_valid():
        mapping = TableMapping(
            sheet=sheet,
            header_line=preview.mapping.header_line,
            columns=form.columns(preview.width),
            headers=preview.mapping.headers,
        )
        try:
            job = services.confirm_mapping(
                job=job,
                mapping=mapping,
                sheets_as_tags=bool(form.cleaned_data.get("sheets_as_tags")),
                day_first=form.cleaned_data["day_order"] == "day",
            )
        except services.MappingError as error:
            form.add_error(None, str(error))
        else:
            return redirect(job.get_absolute_url())
    context = {"job": job, "form": form, "preview": preview, "rows": form.preview_rows()}
    template = "veille_imports/_mapping.html" if request.htmx else "veille_imports/mapping.html"
    return _private(render(request, template, context))


# --- Following an import and its report --------------------------------------------------------


def _progress_of(job: ImportJob) -> Progress:
    if job.is_finished:
        return Progress(
            rows_read=job.rows_read,
            imported=job.imported,
            merged=job.merged,
            rejected=job.rejected,
            fraction=1.0,
        )
    return read_progress(job.pk) or Progress()


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.status == JobStatus.MAPPING:
        return redirect(job.get_absolute_url())
    context: dict[str, Any] = {"job": job, "progress": _progress_of(job)}
    if job.is_finished:
        issues = selectors.issues_of(job)
        page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            issues=page.object_list,
            rejected_count=job.rejected,
            remark_kind=IssueKind.REMARK,
        )
    return _private(render(request, "veille_imports/job.html", context))


@login_required
@require_GET
def import_progress(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second; once the import ends, the whole page
    is shown again with its report."""
    job = _job_or_404(request, pk)
    if job.is_finished and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return _private(response)
    context = {"job": job, "progress": _progress_of(job)}
    return _private(render(request, "veille_imports/_progress.html", context))


@login_required
@require_GET
def import_report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job = _job_or_404(request, pk)
    response = StreamingHttpResponse(
        exports.issues_csv_lines(job), content_type="text/csv; charset=utf-8"
    )
    stem = Path(job.original_name).stem[:60] or "import"
    response["Content-Disposition"] = f'attachment; filename="rapport-{job.pk}-{_ascii(stem)}.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def import_delete(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if upkeep.delete_job(job=job):
        messages.success(request, _("The import and its report are deleted; its bookmarks stay."))
    else:
        messages.error(request, _("An import cannot be deleted while it runs."))
    return redirect("veille_imports:start")


def _ascii(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in text)


# --- Exports -------------------------------------------------------------------------------------


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    count = exports.bookmarks_to_export(request.user).count()
    return _private(render(request, "veille_imports/export.html", {"count": count}))


@login_required
@require_GET
def export_download(request: HttpRequest, format_name: str) -> StreamingHttpResponse:
    if format_name not in exports.EXPORT_FORMATS:
        raise Http404
    content_type, _extension = exports.EXPORT_FORMATS[format_name]
    response = StreamingHttpResponse(
        exports.export_chunks(request.user, format_name), content_type=content_type
    )
    filename = exports.export_filename(format_name)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return cast(StreamingHttpResponse, response)
