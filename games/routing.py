"""Websocket routes of the game (collected by karuta.routing)."""

from django.urls import re_path

from games.realtime.consumer import RoomConsumer

websocket_urlpatterns = [
    re_path(r"^ws/rooms/(?P<code>[A-Za-z0-9]{1,12})/$", RoomConsumer.as_asgi()),
]
