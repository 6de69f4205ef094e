"""Uploading a card illustration in the admin: good files are resized, bad ones refused."""

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.forms.models import model_to_dict
from PIL import ExifTags, Image, PngImagePlugin

from games.images import variant_name
from games.models import ValueType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("teacher", "t@example.org", "pw-123456789")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def image_file(fmt: str, size=(800, 600), name=None) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = name or f"picture.{fmt.lower()}"
    return buffer


def post_picture(client, value: ValueType, upload) -> object:
    data = {k: v for k, v in model_to_dict(value).items() if v is not None}
    data.pop("illustration", None)
    data["illustration"] = upload
    return client.post(f"/admin/games/valuetype/{value.pk}/change/", data)


def test_it_accepts_a_png_and_makes_resized_variants(staff, deck):
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("PNG", (2000, 1500)))
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert value.illustration.name.endswith(".png")
    with default_storage.open(variant_name(value.illustration.name, "card")) as handle:
        assert max(Image.open(handle).size) == 480
    with default_storage.open(variant_name(value.illustration.name, "thumb")) as handle:
        assert max(Image.open(handle).size) == 160
    assert value.image_url().endswith(".card.png")
    study = staff.get("/en/study/").content.decode()
    assert value.image_url() in study


def test_it_refuses_a_gif_with_a_clear_error(staff, deck):
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("GIF"))
    assert response.status_code == 200
    assert "GIF images are not accepted; use PNG, JPEG or WebP." in response.content.decode()
    value.refresh_from_db()
    assert not value.illustration


def test_it_refuses_a_file_that_is_not_an_image(staff, deck):
    value = ValueType.objects.get(number=3)
    fake = io.BytesIO(b"%PDF-1.4 definitely not a picture")
    fake.name = "picture.png"
    response = post_picture(staff, value, fake)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    value.refresh_from_db()
    assert not value.illustration


def test_it_refuses_an_oversized_file(staff, deck, settings):
    settings.CARD_IMAGE_MAX_BYTES = 524_288
    noisy = Image.effect_noise((600, 600), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    assert buffer.tell() > 524_288
    buffer.seek(0)
    buffer.name = "noise.png"
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, buffer)
    assert "The image is 0.9 MB; the largest allowed is 0.5 MB." in response.content.decode()
    value.refresh_from_db()
    assert not value.illustration


def test_it_refuses_more_pixels_than_the_cap(staff, deck, settings):
    settings.CARD_IMAGE_MAX_PIXELS = 1000 * 1000
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("JPEG", (1250, 900)))
    assert (
        "The image is 1250×900 pixels (1.1 megapixels); the largest allowed is 1.0 megapixels,"
        " such as 1000×1000."
    ) in response.content.decode()
    value.refresh_from_db()
    assert not value.illustration


def test_the_error_is_translated_for_japanese_admins(staff, deck):
    staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("GIF"))
    assert "GIF 形式の画像は使えません。PNG・JPEG・WebP のいずれかにしてください。" in (
        response.content.decode()
    )


# --- what is stored: the detected type, re-encoded, no metadata, no original (issue 10) ----

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def stored_files(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def with_exif(fmt: str, size=(800, 600), name=None) -> io.BytesIO:
    """A photo as a phone leaves it: turned by an Orientation tag, with where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90° clockwise
    exif[ExifTags.Base.ImageDescription] = "Made in Kyoto"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (35.0, 0.0, 0.0), 3: "E", 4: (135.0, 46.0, 0.0)}
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, (200, 30, 30))
    picture.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # the left half blue
    extra = {}
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "Made in Kyoto")
        extra["pnginfo"] = info
    picture.save(buffer, format=fmt, exif=exif, **extra)
    assert b"Kyoto" in buffer.getvalue()
    buffer.seek(0)
    buffer.name = name or f"holiday.{fmt.lower()}"
    return buffer


@pytest.mark.parametrize("name", ["card.pdf", "card.ps", "card.xbm", "card.html", "card.png"])
def test_the_stored_name_follows_the_detected_type_and_appended_bytes_are_gone(
    staff, deck, settings, name
):
    picture = image_file("PNG", (400, 300))
    polyglot = io.BytesIO(picture.getvalue() + HTML)
    polyglot.name = name
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, polyglot)
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert value.illustration.name.endswith(".png")
    files = stored_files(settings)
    assert files and all(p.suffix == ".png" for p in files), files
    for path in files:
        assert b"<script" not in path.read_bytes()
        assert Image.open(path).format == "PNG"


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("WEBP", ".webp")])
def test_jpeg_and_webp_are_stored_under_their_own_extension(staff, deck, fmt, suffix):
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file(fmt, (640, 480), name="picture.png"))
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    assert value.illustration.name.endswith(suffix)
    with default_storage.open(value.illustration.name) as handle:
        assert Image.open(handle).format == fmt


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_metadata_is_stripped_from_every_stored_file_and_the_orientation_applied(
    staff, deck, settings, fmt
):
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, with_exif(fmt))
    assert response.status_code == 302, response.content.decode()[:2000]
    files = stored_files(settings)
    assert len(files) == 4, files  # the picture and its three sizes
    for path in files:
        data = path.read_bytes()
        assert b"Kyoto" not in data and b"Exif" not in data, path.name
        with Image.open(path) as stored:
            assert not stored.getexif(), path.name
            assert "exif" not in stored.info and "Comment" not in stored.info, path.name
            assert stored.height > stored.width, "the Orientation tag was applied"
            top = stored.convert("RGB").getpixel((stored.width // 2, 2))
            assert top[2] > 150, "turned clockwise: the blue left half is now on top"


def test_no_original_is_kept(staff, deck, settings):
    value = ValueType.objects.get(number=3)
    assert post_picture(staff, value, with_exif("JPEG", name="holiday.jpg")).status_code == 302
    value.refresh_from_db()
    names = [p.name for p in stored_files(settings)]
    assert not any("holiday" in n or "original" in n for n in names), names
    assert value.image_url("print").endswith(".print.png")


def png_header(width: int, height: int) -> io.BytesIO:
    """A PNG that claims ``width``×``height`` pixels with almost no data: decoding it would
    fail (truncated), so only a check from the header gives the pixel-count error."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    data += chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    buffer = io.BytesIO(data)
    buffer.name = "huge.png"
    return buffer


def test_an_image_over_the_pixel_cap_is_refused_from_its_header_without_decoding(
    staff, deck, settings
):
    assert settings.CARD_IMAGE_MAX_PIXELS <= 4096 * 4096
    value = ValueType.objects.get(number=3)
    started = time.monotonic()
    page = post_picture(staff, value, png_header(5000, 5000)).content.decode()
    assert (
        "The image is 5000×5000 pixels (25.0 megapixels); the largest allowed is 16.8"
        " megapixels, such as 4096×4096."
    ) in page
    page = post_picture(staff, value, png_header(100_000, 100_000)).content.decode()
    assert (
        "The image has far more pixels than allowed; the largest allowed is 16.8 megapixels,"
        " such as 4096×4096."
    ) in page
    assert time.monotonic() - started < 2
    value.refresh_from_db()
    assert not value.illustration
    assert stored_files(settings) == []


def test_the_pixel_cap_error_is_translated_for_japanese_admins(staff, deck):
    staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    value = ValueType.objects.get(number=3)
    page = post_picture(staff, value, png_header(5000, 5000)).content.decode()
    assert "画像が 5000×5000 ピクセル（25.0 メガピクセル）あります。上限は 16.8" in page
    page = post_picture(staff, value, png_header(100_000, 100_000)).content.decode()
    assert "画像の画素数が上限を大きく超えています。" in page
