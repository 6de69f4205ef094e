"""Websocket routes of every app, collected in one list for karuta.asgi."""

from games.routing import websocket_urlpatterns as games_routes

websocket_urlpatterns: list = [*games_routes]
