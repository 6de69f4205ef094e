from django.urls import path

from practice import views

app_name = "practice"
urlpatterns = [
    path("", views.solo, name="solo"),
    path("review/", views.review, name="review"),
    path("results/", views.result_post, name="results"),
    path("learner/", views.learner_post, name="learner"),
    path("code/", views.code_post, name="code"),
    path("adopt/", views.adopt_post, name="adopt"),
    path("import/", views.import_post, name="import"),
]
