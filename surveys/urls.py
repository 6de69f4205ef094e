from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    # Contract with the game: the end screen links (and shows a QR code) to this page.
    path("room/<str:code>/", views.room_survey, name="room"),
    path("room/<str:code>/thanks/", views.thanks, name="thanks"),
    path("research/", views.research_home, name="research"),
    path("research/group/<int:pk>/", views.research_group, name="group"),
    path("research/group/<int:pk>/tables.csv", views.group_tables_csv, name="group_tables_csv"),
    path(
        "research/group/<int:pk>/responses-<str:layout>.csv",
        views.group_export_csv,
        name="group_export_csv",
    ),
    path("research/group/<int:pk>/chart/<str:code>.svg", views.chart, name="chart"),
]
