"""Over HTTP, against daphne: an uploaded card picture is served as the picture it is
(image/png, nosniff, inline, a policy that runs nothing), without its EXIF, and nothing else
under MEDIA_ROOT is served: not an original (an earlier version kept them, GPS and all),
not a file with another extension."""

import io
import json
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

from PIL import ExifTags, Image

from tests.conftest import make_server

UPLOAD = """
import io, json
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client
from games.models import ValueType
user = get_user_model().objects.create_superuser("t", "t@example.org", "pw-123456789")
client = Client(HTTP_ACCEPT_LANGUAGE="en")
client.force_login(user)
value = ValueType.objects.get(number=3)
data = {k: v for k, v in model_to_dict(value).items() if v is not None}
data.pop("illustration", None)
upload = io.BytesIO(open(PATH, "rb").read())
upload.name = "holiday.pdf"
data["illustration"] = upload
status = client.post(f"/admin/games/valuetype/{value.pk}/change/", data).status_code
value.refresh_from_db()
print(json.dumps({"status": status, "name": value.illustration.name, "url": value.image_url(),
                  "slug": value.slug}))
"""


def photo_with_gps_and_html(path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = "Made in Kyoto"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (35.0, 0.0, 0.0), 3: "E", 4: (135.0, 46.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, format="PNG", exif=exif)
    path.write_bytes(buffer.getvalue() + b"<html><script>alert(1)</script></html>")


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_an_uploaded_picture_is_served_as_a_clean_png_and_nothing_else_is(tmp_path):
    server = make_server(tmp_path)
    try:
        photo = tmp_path / "holiday.pdf"
        photo_with_gps_and_html(photo)
        out = server.manage("shell", "-c", f"PATH = {str(photo)!r}\n" + UPLOAD)
        stored = json.loads(out.strip().splitlines()[-1])
        assert stored["status"] == 302 and stored["name"].endswith(".png"), stored
        media = Path(server.env["MEDIA_ROOT"])
        for url in [f"/media/{stored['name']}", stored["url"]]:
            status, headers, body = get(server.url + url)
            assert status == 200, url
            assert headers["Content-Type"] == "image/png"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Content-Disposition"].startswith("inline; filename=")
            assert "sandbox" in headers["Content-Security-Policy"]
            assert b"Kyoto" not in body and b"<script" not in body
            with Image.open(io.BytesIO(body)) as picture:
                assert picture.format == "PNG" and not picture.getexif()
        folder = Path(stored["name"]).parent
        files = [p.name for p in (media / folder).iterdir()]
        assert len(files) == 4 and not any("holiday" in n for n in files), files

        # What an earlier version stored, and files that are not pictures: never served.
        (media / folder / "original-holiday.png").write_bytes(photo.read_bytes())
        (media / folder / "evil.pdf").write_bytes(photo.read_bytes())
        (media / folder / "evil.html").write_bytes(b"<script>alert(1)</script>")
        for name in ["original-holiday.png", "original-holiday.pdf", "evil.pdf", "evil.html",
                     ""]:  # fmt: skip
            status, _headers, body = get(f"{server.url}/media/{folder}/{name}")
            assert status == 404, name
            assert b"Kyoto" not in body
    finally:
        server.stop()
