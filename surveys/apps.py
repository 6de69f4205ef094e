from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def research_rooms():
    """Rooms a research group lists: their games are kept when old rooms expire."""
    from surveys.models import GroupRoom

    return GroupRoom.objects.values_list("room_code", flat=True)


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionnaires and research")

    def ready(self) -> None:
        from games import expiry

        if research_rooms not in expiry.keepers:
            expiry.keepers.append(research_rooms)
