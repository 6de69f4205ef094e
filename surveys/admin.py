"""Admin: groups with their rooms, responses, value aliases, CSV import and exports."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from surveys.csv_io import ImportRejected
from surveys.exports import export_lines, table_lines
from surveys.models import Group, GroupRoom, OpenLink, Response, ValueAlias
from surveys.permissions import may_import
from surveys.services import responses_import
from surveys.views import csv_response


class GroupRoomInline(admin.TabularInline):
    model = GroupRoom
    extra = 1


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    questionnaire = forms.TypedChoiceField(
        label=_("Questionnaire"), choices=[(1, "1 (A–G)"), (2, "2 (A2–G2)")], coerce=int
    )
    group = forms.CharField(label=_("Group"), max_length=200, help_text=_("Created if new."))


def _responses_of(groups):
    ids = set()
    for group in groups:
        ids.update(group.responses().values_list("pk", flat=True))
    return Response.objects.filter(pk__in=ids)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "room_list", "response_count", "research_link")
    search_fields = ("name", "description", "rooms__room_code")
    inlines = [GroupRoomInline]
    actions = ["export_wide", "export_long", "export_tables"]

    @admin.display(description=_("rooms"))
    def room_list(self, obj: Group) -> str:
        return ", ".join(obj.rooms.values_list("room_code", flat=True)) or "—"

    @admin.display(description=_("responses"))
    def response_count(self, obj: Group) -> int:
        return obj.responses().count()

    @admin.display(description=_("tables"))
    def research_link(self, obj: Group) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("surveys:group", args=[obj.pk]), _("tables and charts")
        )

    @admin.action(
        permissions=["view_responses"],
        description=_("Export responses as CSV (wide: one row per respondent)"),
    )
    def export_wide(self, request, queryset):
        name = queryset.first().name if queryset.count() == 1 else None
        return csv_response(
            export_lines(_responses_of(queryset), "wide", group_name=name), "responses-wide.csv"
        )

    @admin.action(
        permissions=["view_responses"],
        description=_("Export responses as CSV (long: one row per answer)"),
    )
    def export_long(self, request, queryset):
        name = queryset.first().name if queryset.count() == 1 else None
        return csv_response(
            export_lines(_responses_of(queryset), "long", group_name=name), "responses-long.csv"
        )

    @admin.action(permissions=["view_responses"], description=_("Export the tables as CSV"))
    def export_tables(self, request, queryset):
        return csv_response(table_lines(queryset.order_by("name")), "tables.csv")

    def has_view_responses_permission(self, request) -> bool:
        """The export actions hand out answers: the group list alone does not."""
        return request.user.has_perm("surveys.view_response")

    def get_urls(self):
        return [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="surveys_group_import"
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import paper answers: the whole file or nothing, every problem listed. Only for
        staff who may add responses (the admin lets in any staff user)."""
        if not may_import(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        problems, slips = [], []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = responses_import(
                    file=data["file"],
                    questionnaire=data["questionnaire"],
                    group_name=data["group"],
                )
            except ImportRejected as rejected:
                problems = [str(p) for p in rejected.problems]
            else:
                if result.is_table:
                    slips = result.slips or [_("Every row adds up.")]
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "Imported %(n)d response into %(group)s.",
                            "Imported %(n)d responses into %(group)s.",
                            result.created,
                        )
                        % {"n": result.created, "group": result.group.name},
                        messages.SUCCESS,
                    )
                    return redirect("surveys:group", pk=result.group.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import questionnaire answers from CSV"),
            "form": form,
            "problems": problems,
            "slips": slips,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "surveys/admin_import.html", context)


class AnsweredFromFilter(admin.SimpleListFilter):
    """Where a web answer came in: a player's end screen (its seat), the room's plain link
    (the projector's QR code), or a researcher's open link."""

    title = _("answered from")
    parameter_name = "from"

    def lookups(self, request, model_admin):
        return [
            ("seat", _("a player's end screen")),
            ("link", _("the room's link")),
            ("open", _("an open link")),
        ]

    def queryset(self, request, queryset):
        web = queryset.filter(source=Response.WEB)
        if self.value() == "seat":
            return web.exclude(seat=None)
        if self.value() == "link":
            return web.filter(seat=None, open_link=None)
        if self.value() == "open":
            return web.exclude(open_link=None)
        return queryset


@admin.register(OpenLink)
class OpenLinkAdmin(admin.ModelAdmin):
    """Links a researcher opens for groups that played on paper: the same permissions as
    adding responses (an import) are needed to open one, as viewing them to see them."""

    list_display = ("group", "url", "capacity", "answered", "expires_at", "created_by")
    list_select_related = ("group", "created_by")
    fields = ("group", "capacity", "expires_at", "url", "created_by", "created_at")
    readonly_fields = ("url", "created_by", "created_at")

    @admin.display(description=_("address to give out"))
    def url(self, obj: OpenLink) -> str:
        if not obj.pk:
            return "—"
        url = reverse("surveys:open", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("people who answered"))
    def answered(self, obj: OpenLink) -> int:
        return obj.responses.values("respondent").distinct().count()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault(
            "expires_at", timezone.now() + timedelta(days=settings.SURVEY_WINDOW_DAYS)
        )
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _may_open(self, request) -> bool:
        return request.user.is_active and request.user.has_perm("surveys.add_response")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may_open(request) or request.user.has_perm("surveys.view_response")

    def has_add_permission(self, request):
        return self._may_open(request)

    def has_change_permission(self, request, obj=None):
        return self._may_open(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_open(request)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "questionnaire",
        "group",
        "room_code",
        "gender",
        "age_band",
        "source",
        "created_at",
    )
    list_filter = (
        "questionnaire", "group", "source", AnsweredFromFilter, "gender", "age_band",
    )  # fmt: skip
    # Not the respondent token: staff never look a person's answers up by it.
    search_fields = ("room_code",)
    readonly_fields = ("respondent", "source", "created_at", "language")
    actions = ["export_wide", "export_long"]
    list_select_related = ("group",)

    @admin.action(description=_("Export selected as CSV (wide)"))
    def export_wide(self, request, queryset):
        return csv_response(export_lines(queryset, "wide"), "responses-wide.csv")

    @admin.action(description=_("Export selected as CSV (long)"))
    def export_long(self, request, queryset):
        return csv_response(export_lines(queryset, "long"), "responses-long.csv")


@admin.register(ValueAlias)
class ValueAliasAdmin(admin.ModelAdmin):
    list_display = ("text", "value_type", "language")
    list_filter = ("language", "value_type__field")
    search_fields = ("text", "value_type__name_en", "value_type__name_ja")
    autocomplete_fields = ()
