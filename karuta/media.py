"""Uploaded files served by Django when no proxy serves them (SERVE_MEDIA): card pictures
only, as pictures only.

Only the names games/images.py stores are served (a picture's extension: .png, .jpg,
.webp); anything else under MEDIA_ROOT is a 404, so a file put there by another way is never
shown inline from this site's origin, and neither is an original kept by an earlier version
(``original-…``, with its EXIF). Each answer says what it is and may do nothing else:
``X-Content-Type-Options: nosniff``, ``Content-Disposition: inline`` with a plain file name,
and a Content-Security-Policy that lets the document load nothing and run nothing.
"""

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.utils.http import content_disposition_header
from django.views.static import serve

SERVED = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
# Kept by the version before issue 10 (the upload as sent); its variants are fine.
LEGACY_ORIGINAL = re.compile(r"(^|/)original-[^/]*$")
VARIANT = re.compile(r"\.(thumb|card|print)\.png$")
POLICY = "default-src 'none'; img-src 'self'; sandbox"


def serve_media(request, path: str):
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in SERVED or (LEGACY_ORIGINAL.search(path) and not VARIANT.search(path)):
        raise Http404("not a card picture")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = SERVED[suffix]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(False, PurePosixPath(path).name)
    response["Content-Security-Policy"] = POLICY
    return response
