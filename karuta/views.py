"""Project-level views: the health check a load balancer polls, the operator's metrics."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from games.limits import client_address
from games.metrics import exposition


@never_cache
def healthz(request):
    """200 when the database and the channel layer answer, 503 naming what does not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        layer = get_channel_layer()
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.send)(channel, {"type": "health.ping"})
        async_to_sync(layer.receive)(channel)
        checks["channel_layer"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["channel_layer"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
def metrics(request):
    """Prometheus metrics, for a scraper on this machine or a staff user (docs/deploy.md)."""
    staff = request.user.is_authenticated and request.user.is_staff
    # The client behind a trusted proxy (TRUSTED_PROXIES), not nginx on the same machine.
    if client_address(request.META) not in LOOPBACK and not staff:
        raise PermissionDenied
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)
