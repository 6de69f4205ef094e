"""Validation and resizing of uploaded card illustrations (Pillow).

An upload is checked for type, byte size and dimensions before it is stored, then resized
into the few sizes the pages and the printable deck need, so a 12-megapixel phone photo is
never sent to forty phones.
"""

import io
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
MIN_SIDE = 64
# Longest side of each stored variant, in pixels.
VARIANTS = {"thumb": 160, "card": 480, "print": 1200}


def validate_card_image(upload) -> None:
    """Raise ValidationError with a message a teacher understands if the file is unusable."""
    max_bytes = settings.CARD_IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The image is %(size).1f MB; the largest allowed is %(max)s MB.")
            % {"size": size / 1_048_576, "max": f"{max_bytes / 1_048_576:g}"},
            code="too_large",
        )
    max_pixels = settings.CARD_IMAGE_MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not a picture we can read (PNG, JPEG or WebP)."), code="invalid"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted; use PNG, JPEG or WebP.") % {"format": fmt},
            code="wrong_type",
        )
    if width > max_pixels or height > max_pixels:
        raise ValidationError(
            _("The image is %(w)d×%(h)d pixels; the largest allowed is %(max)d on each side.")
            % {"w": width, "h": height, "max": max_pixels},
            code="too_big",
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ValidationError(
            _("The image is %(w)d×%(h)d pixels; it needs at least %(min)d on each side.")
            % {"w": width, "h": height, "min": MIN_SIDE},
            code="too_small",
        )


def variant_name(original_name: str, size: str) -> str:
    """Variants are named after their original, so a new upload never reuses old files."""
    path = PurePosixPath(original_name)
    return str(path.parent / f"{path.stem}.{size}.png")


def make_variants(original_name: str) -> dict[str, str]:
    """Write the resized PNG variants next to the stored original; return their names."""
    names = {}
    with default_storage.open(original_name, "rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image).convert("RGBA")
        for size, longest in VARIANTS.items():
            copy = image.copy()
            copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            copy.save(buffer, format="PNG", optimize=True)
            name = variant_name(original_name, size)
            if default_storage.exists(name):
                default_storage.delete(name)
            names[size] = default_storage.save(name, ContentFile(buffer.getvalue()))
    return names


def open_variant(original_name: str, size: str = "print") -> Image.Image:
    with default_storage.open(variant_name(original_name, size), "rb") as handle:
        image = Image.open(handle)
        image.load()
    return image
