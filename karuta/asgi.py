"""HTTP and websocket entry point, served by daphne."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "karuta.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from games.realtime.timers import start_watching  # noqa: E402
from karuta.routing import websocket_urlpatterns  # noqa: E402
from karuta.startup import StartWithServer  # noqa: E402

application = StartWithServer(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
        }
    ),
    on_start=start_watching,
)
