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
        # The value items follow every save of a response or an alias (the bulk writers call
        # surveys.value_items.items_refresh themselves).
        from django.db.models import signals

        from surveys import value_items
        from surveys.models import Response, ValueAlias

        signals.post_save.connect(value_items.on_response_saved, Response, dispatch_uid="vi-r")
        signals.pre_save.connect(value_items.on_alias_changing, ValueAlias, dispatch_uid="vi-a0")
        signals.post_save.connect(value_items.on_alias_changed, ValueAlias, dispatch_uid="vi-a1")
        signals.post_delete.connect(value_items.on_alias_changed, ValueAlias, dispatch_uid="vi-a2")
