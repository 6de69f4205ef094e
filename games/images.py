"""Uploaded card illustrations (Pillow): checked, re-encoded, resized.

An upload is checked for byte size, type and pixel count from its header, before anything is
decoded. Then it is decoded (a JPEG at a reduced scale, ``draft``), turned as its EXIF
Orientation says, shrunk to at most ``MASTER_SIDE`` pixels and written again by Pillow in
the type Pillow detected, under a name that ends with that type's extension and that comes
from the picture's content, never from the uploader's file name. What is stored is that
re-encoded copy only: no metadata (EXIF with GPS, text chunks, colour profiles: colours are
converted to sRGB), no bytes appended after the picture, no original kept. Three resized PNG
variants are made from it for the pages and the printable deck, so a 12-megapixel phone photo
is never sent to forty phones.

Memory stays bounded by CARD_IMAGE_MAX_PIXELS (a pixel count): a picture is decoded only
when its header claims at most that many pixels (bench/card_image_memory.py measures it).
"""

import hashlib
import io
import math
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow's format → the stored file's extension and content type.
ALLOWED_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
                   "WEBP": ("webp", "image/webp")}  # fmt: skip
MIN_SIDE = 64
# Longest side of the stored picture: more than the print variant's, so a variant added later
# still has pixels to come from; and a JPEG of up to 4096 pixels decodes at half scale.
MASTER_SIDE = 2048
# Longest side of each stored variant, in pixels.
VARIANTS = {"thumb": 160, "card": 480, "print": 1200}
# Pillow itself refuses to open more than twice this many pixels (DecompressionBombError),
# whoever opens a file; below that, validate_card_image refuses over the cap.
Image.MAX_IMAGE_PIXELS = settings.CARD_IMAGE_MAX_PIXELS


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file is not a picture we can read (PNG, JPEG or WebP)."), code="invalid"
    )


def _cap_figures() -> dict:
    cap = settings.CARD_IMAGE_MAX_PIXELS
    return {"max": cap / 1_000_000, "side": math.isqrt(cap)}


def _open_header(upload) -> Image.Image:
    """The picture with only its header read (Image.open decodes nothing)."""
    try:
        upload.seek(0)
        return Image.open(upload)
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _(
                "The image has far more pixels than allowed; the largest allowed is "
                "%(max).1f megapixels, such as %(side)d×%(side)d."
            )
            % _cap_figures(),
            code="too_big",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc


def validate_card_image(upload) -> None:
    """Raise ValidationError with a message a teacher understands if the file is unusable.
    Reads the header only: nothing is decoded."""
    max_bytes = settings.CARD_IMAGE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The image is %(size).1f MB; the largest allowed is %(max)s MB.")
            % {"size": size / 1_048_576, "max": f"{max_bytes / 1_048_576:g}"},
            code="too_large",
        )
    try:
        with _open_header(upload) as image:
            fmt, (width, height) = image.format, image.size
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted; use PNG, JPEG or WebP.") % {"format": fmt},
            code="wrong_type",
        )
    if width * height > settings.CARD_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _(
                "The image is %(w)d×%(h)d pixels (%(mp).1f megapixels); the largest allowed "
                "is %(max).1f megapixels, such as %(side)d×%(side)d."
            )
            % {"w": width, "h": height, "mp": width * height / 1_000_000, **_cap_figures()},
            code="too_big",
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ValidationError(
            _("The image is %(w)d×%(h)d pixels; it needs at least %(min)d on each side.")
            % {"w": width, "h": height, "min": MIN_SIDE},
            code="too_small",
        )


def _to_srgb(image: Image.Image) -> Image.Image:
    """A picture with a colour profile (a phone's Display P3) converted to sRGB, so dropping
    the profile does not change its colours."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        return ImageCms.profileToProfile(
            image, io.BytesIO(profile), ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are


def clean_card_image(upload) -> SimpleUploadedFile:
    """The upload checked and written again by Pillow: the only file that is stored."""
    validate_card_image(upload)
    try:
        with _open_header(upload) as image:
            fmt = image.format
            if fmt == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when that is still enough
                image.draft("RGB", (MASTER_SIDE, MASTER_SIDE))
            image.load()
            ImageOps.exif_transpose(image, in_place=True)  # the Orientation tag, applied
            alpha = "A" in image.getbands() or "transparency" in image.info
            mode = "RGBA" if alpha and fmt != "JPEG" else "RGB"
            if image.mode != mode:
                image = image.convert(mode)
            image = _to_srgb(image)
            image.thumbnail((MASTER_SIDE, MASTER_SIDE), Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)
    image.info = {}  # no EXIF, text, profile or anything else carried over
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, format="PNG")
    elif fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=90)
    else:
        image.save(buffer, format="WEBP", quality=90)
    data = buffer.getvalue()
    extension, content_type = ALLOWED_FORMATS[fmt]
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    clean = SimpleUploadedFile(name, data, content_type=content_type)
    clean.card_image_clean = True  # ValueType.save does not encode it a second time
    return clean


class CardImageField(forms.ImageField):
    """The admin's upload field: our checks (with their clear messages) instead of Django's
    ImageField's own decoding, and the re-encoded file instead of the upload."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_card_image(upload)


def variant_name(original_name: str, size: str) -> str:
    """Variants are named after their picture, so a new upload never reuses old files."""
    path = PurePosixPath(original_name)
    return str(path.parent / f"{path.stem}.{size}.png")


def make_variants(original_name: str) -> dict[str, str]:
    """Write the resized PNG variants next to the stored picture; return their names."""
    names = {}
    with default_storage.open(original_name, "rb") as handle, Image.open(handle) as image:
        image = ImageOps.exif_transpose(image).convert("RGBA")
        # Largest first, each from the one before: one picture in memory, not one a size.
        for size, longest in sorted(VARIANTS.items(), key=lambda item: -item[1]):
            image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
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
