from django.urls import path

from practice import assignment_views, views

app_name = "practice"
urlpatterns = [
    path("", views.solo, name="solo"),
    path("review/", views.review, name="review"),
    path("results/", views.result_post, name="results"),
    path("learner/", views.learner_post, name="learner"),
    path("code/", views.code_post, name="code"),
    path("adopt/", views.adopt_post, name="adopt"),
    path("import/", views.import_post, name="import"),
    path("assignments/new/", assignment_views.assignment_new, name="assignment_new"),
    path("assignments/<str:code>/", assignment_views.assignment_teacher, name="assignment"),
    path("a/<str:code>/", assignment_views.assignment_play, name="assignment_play"),
    path("a/<str:code>/join/", assignment_views.assignment_join, name="assignment_join"),
]
