from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from games.views import field_colours, pictogram
from karuta.media import serve_media
from karuta.views import healthz, metrics

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("pictograms/<int:number>.svg", pictogram, name="pictogram"),
    path("fields.css", field_colours, name="field_colours"),
]
urlpatterns += i18n_patterns(
    path("", include("games.urls")),
    path("play/", include("games.play_urls")),
    path("survey/", include("surveys.urls")),
    path("practice/", include("practice.urls")),
    prefix_default_language=True,
)
if settings.SERVE_MEDIA:
    # Uploaded card pictures: small and few, so Django may serve them when no proxy does;
    # pictures only, never inline as anything else (karuta/media.py).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media, name="media")]
