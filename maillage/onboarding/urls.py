from django.urls import path

from maillage.onboarding.views import objections, paths

app_name = "onboarding"

urlpatterns = [
    path("", paths.home, name="home"),
    path("freins/", objections.objection_list, name="objections"),
    path("freins/proposer/", objections.objection_propose, name="propose"),
    path("freins/<slug:slug>/", objections.objection_detail, name="objection"),
    path("freins/<slug:slug>/repondre/", objections.objection_answer, name="answer"),
    path("freins/<slug:slug>/modifier/", objections.objection_edit, name="edit"),
    path("freins/<slug:slug>/organiser/", objections.objection_curate, name="curate"),
    path("reponses/<int:pk>/utile/", objections.answer_helpful, name="helpful"),
    path("reponses/<int:pk>/organiser/", objections.answer_curate, name="answer_curate"),
    path("declencheurs/", paths.practices, name="practices"),
    path("etapes/<slug:slug>/", paths.step_detail, name="step"),
    path("licence/", paths.licence, name="licence"),
    path("questionnaire/", paths.questionnaire, name="questionnaire"),
    path("mon-parcours/", paths.my_path, name="my_path"),
    path("parcours/<str:token>/", paths.path_detail, name="path"),
    path("parcours/<str:token>/etapes/<int:pk>/", paths.path_step_done, name="path_step"),
    path("parcours/<str:token>/garder/", paths.path_keep, name="path_keep"),
    path("tableau/", paths.counts, name="counts"),
]
