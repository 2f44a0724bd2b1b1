"""Serving uploaded files only to people allowed to see the page they belong to."""

from __future__ import annotations

import mimetypes

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

# Never rendered by the browser as a page of ours: an uploaded file is not trusted HTML.
SAFE_INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}


def file_response(
    file: FieldFile, *, private: bool, download_name: str | None = None
) -> FileResponse:
    """Stream a stored file; inline only for harmless types, cached only when public."""
    if not file or not file.name:
        raise Http404
    name = file.name
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type in SAFE_INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=download_name or name.rsplit("/", 1)[-1],
        content_type=content_type if inline else "application/octet-stream",
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=3600)
    return response
