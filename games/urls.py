from django.urls import path

from games import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
    path("study/", views.study, name="study"),
    path("study/<slug:slug>/", views.card_detail, name="card_detail"),
    path("print/", views.print_deck, name="print_deck"),
    path("print/value-karuta-<str:lang>.pdf", views.print_deck_pdf, name="print_deck_pdf"),
]
