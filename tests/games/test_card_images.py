"""Uploading a card illustration in the admin: good files are resized, bad ones refused."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.forms.models import model_to_dict
from PIL import Image

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


def test_it_refuses_oversized_dimensions(staff, deck, settings):
    settings.CARD_IMAGE_MAX_PIXELS = 1000
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("JPEG", (1200, 400)))
    assert "The image is 1200×400 pixels; the largest allowed is 1000 on each side." in (
        response.content.decode()
    )


def test_the_error_is_translated_for_japanese_admins(staff, deck):
    staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "ja"
    value = ValueType.objects.get(number=3)
    response = post_picture(staff, value, image_file("GIF"))
    assert "GIF 形式の画像は使えません。PNG・JPEG・WebP のいずれかにしてください。" in (
        response.content.decode()
    )
