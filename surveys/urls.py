from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    # Contract with the game: the end screen links (and shows a QR code) to this page.
    path("room/<str:code>/", views.room_survey, name="room"),
    path("room/<str:code>/thanks/", views.thanks, name="thanks"),
    # The player's end screen posts its seat's token here (games/templates/games/play/_panels.html).
    path("room/<str:code>/from-seat/", views.room_survey_from_seat, name="from_seat"),
    # A researcher's open link for a group that played on paper (admin: open questionnaire links).
    path("open/<str:token>/", views.open_survey, name="open"),
    path("open/<str:token>/thanks/", views.open_thanks, name="open_thanks"),
    path("research/", views.research_home, name="research"),
    path("research/group/<int:pk>/", views.research_group, name="group"),
    path("research/group/<int:pk>/tables.csv", views.group_tables_csv, name="group_tables_csv"),
    path(
        "research/group/<int:pk>/responses-<str:layout>.csv",
        views.group_export_csv,
        name="group_export_csv",
    ),
    path("research/group/<int:pk>/chart/<str:code>.svg", views.chart, name="chart"),
    path(
        "research/group/<int:pk>/confusion.csv",
        views.group_confusion_csv,
        name="group_confusion_csv",
    ),
    path(
        "research/group/<int:pk>/room/<str:code>/cards.csv",
        views.group_room_cards_csv,
        name="group_room_cards_csv",
    ),
]
