"""Websocket routes of every app, collected in one list for karuta.asgi."""

websocket_urlpatterns: list = []
