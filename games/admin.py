from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from games import rules
from games.images import CardImageField
from games.models import Field, ValueType


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ja", "name_en", "order", "color")
    list_editable = ("order",)


@admin.register(ValueType)
class ValueTypeAdmin(admin.ModelAdmin):
    list_display = ("number", "picture", "name_ja", "name_en", "field", "updated_at")
    list_display_links = ("number", "name_ja", "name_en")
    list_filter = ("field",)
    search_fields = ("name_ja", "name_en", "slug", "reading", "source")
    readonly_fields = ("picture", "updated_at")
    # Pillow's re-encoded copy of the upload, checked from its header first (games/images.py).
    formfield_overrides = {models.ImageField: {"form_class": CardImageField}}
    fieldsets = (
        (None, {"fields": ("number", "slug", "field", "order", "reading", "source")}),
        (_("Torifuda front"), {"fields": ("name_ja", "name_en", "illustration", "picture")}),
        (_("Torifuda back"), {"fields": ("concept_ja", "concept_en", "outline_ja", "outline_en")}),
        (
            _("Yomifuda"),
            {"fields": ("overview_ja", "overview_en", "explanation_ja", "explanation_en")},
        ),
        (None, {"fields": ("updated_at",)}),
    )

    @admin.display(description=_("picture"))
    def picture(self, obj: ValueType) -> str:
        if not obj.pk:
            return "—"
        return format_html('<img src="{}" alt="" width="64" height="64">', obj.image_url("thumb"))


# --- Rooms (read-mostly: the game writes them through games/services.py) ------------------

from games.models import BoardCard, Room, Seat, Take  # noqa: E402


class SeatInline(admin.TabularInline):
    model = Seat
    fields = ("nickname", "status", "score", "cards", "wrong_takes", "kicked_until", "joined_at")
    readonly_fields = ("joined_at",)
    extra = 0
    show_change_link = True


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("code", "state", "seat_count", "created_at", "finished_at", "debrief")
    list_filter = ("state",)
    search_fields = ("code",)
    readonly_fields = ("code", "current_card", "turn_started_at", "deadline", "created_at",
                       "finished_at", "reteach", "debrief")  # fmt: skip
    exclude = ("host_token",)
    inlines = [SeatInline]

    @admin.display(description=_("players"))
    def seat_count(self, obj: Room) -> int:
        return obj.seats.filter(status=Seat.ACTIVE).count()

    @admin.display(description=_("debrief"))
    def debrief(self, obj: Room) -> str:
        """The debrief page (games/debrief_views.py) of a game that has begun."""
        if obj.pk is None or obj.state == rules.LOBBY:
            return "—"
        url = reverse("play_debrief", args=[obj.code])
        return format_html('<a href="{}">{}</a>', url, _("Debrief"))


@admin.register(Take)
class TakeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "room", "seat", "card", "correct", "won")
    list_filter = ("correct", "won")
    list_select_related = ("room", "seat", "card__value_type")
    search_fields = ("room__code", "seat__nickname")


@admin.register(BoardCard)
class BoardCardAdmin(admin.ModelAdmin):
    list_display = ("room", "position", "value_type", "read_order", "taken_by", "timed_out")
    list_filter = ("timed_out", "skipped")
    list_select_related = ("room", "value_type", "taken_by")
    search_fields = ("room__code",)
