from django.urls import path

from games import debrief_views, play_views

urlpatterns = [
    path("", play_views.play, name="play"),
    path("new/", play_views.create, name="play_create"),
    path("join/", play_views.join, name="play_join"),
    path("<str:code>/", play_views.room, name="play_room"),
    path("<str:code>/host/", play_views.host, name="play_host"),
    path("<str:code>/screen/", play_views.screen, name="play_screen"),
    path("<str:code>/debrief/", debrief_views.debrief_page, name="play_debrief"),
    path("<str:code>/reteach/", debrief_views.reteach, name="play_reteach"),
    path("<str:code>/qr.svg", play_views.qr, name="play_qr"),
]
