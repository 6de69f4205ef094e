"""Peak memory of uploading one card illustration through the admin, in a fresh process.

    .venv/bin/python -m bench.card_image_memory 6000 6000 JPEG

Prints one JSON line: the process's peak RSS (``resource.getrusage``) before the upload and
after it, in MiB, and the HTTP status the admin answered (302: stored; 200: refused, with the
form's error). The picture is made in another process and read from a file, so making it
costs the measured process nothing; the database is SQLite in memory.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def make_picture(width: int, height: int, fmt: str, path: Path) -> None:
    """A smooth gradient: it compresses well, as a scanned drawing or a flat illustration
    does, so it passes the byte cap whatever its pixel count."""
    from PIL import Image

    gradient = Image.linear_gradient("L")
    across = gradient.transpose(Image.Transpose.ROTATE_90)
    bands = (gradient, across, gradient.point(lambda v: 255 - v))
    picture = Image.merge("RGB", [band.resize((width, height)) for band in bands])
    picture.save(path, format=fmt)


def upload(path: Path) -> dict:
    """In this (child) process: set Django up, then post the file to the admin."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.forms.models import model_to_dict
    from django.test import Client

    from games.models import ValueType

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_deck", verbosity=0, stdout=io.StringIO())
    user = get_user_model().objects.create_superuser("bench", "b@example.org", "pw-bench-12345")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    value = ValueType.objects.get(number=3)
    data = {k: v for k, v in model_to_dict(value).items() if v is not None}
    data.pop("illustration", None)
    upload = io.BytesIO(path.read_bytes())
    upload.name = path.name
    data["illustration"] = upload
    del upload
    before = peak_mib()
    response = client.post(f"/admin/games/valuetype/{value.pk}/change/", data)
    return {"before_mib": round(before, 1), "peak_mib": round(peak_mib(), 1),
            "status": response.status_code, "bytes": path.stat().st_size}  # fmt: skip


def measure(width: int, height: int, fmt: str) -> dict:
    """Make the picture here, upload it in a child process; the child's figures."""
    with tempfile.TemporaryDirectory() as folder:
        picture = Path(folder) / f"picture.{fmt.lower()}"
        # In a process of its own: a child inherits its parent's peak RSS (Linux keeps
        # ru_maxrss across fork and exec), so this process never holds the picture.
        subprocess.run([sys.executable, "-m", "bench.card_image_memory", "--make", str(width),
                        str(height), fmt, str(picture)], cwd=ROOT, check=True)  # fmt: skip
        env = {
            **os.environ,
            "DATABASE_URL": "sqlite://:memory:",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "SECRET_KEY": "bench-not-secret",
            "DJANGO_SETTINGS_MODULE": "karuta.settings",
        }
        result = subprocess.run(
            [sys.executable, "-m", "bench.card_image_memory", "--child", str(picture)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
    return {
        "size": f"{width}x{height}",
        "format": fmt,
        **json.loads(result.stdout.splitlines()[-1]),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--make"]:
        make_picture(int(argv[1]), int(argv[2]), argv[3], Path(argv[4]))
        return
    if argv[:1] == ["--child"]:
        print(json.dumps(upload(Path(argv[1]))))
        return
    width, height = int(argv[0]), int(argv[1])
    fmt = argv[2] if len(argv) > 2 else "PNG"
    print(json.dumps(measure(width, height, fmt)))


if __name__ == "__main__":
    main(sys.argv[1:])
