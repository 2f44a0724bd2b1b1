from django.urls import path

from maillage.mailing import views

app_name = "mailing"

urlpatterns = [
    path("", views.index, name="index"),
    path("abonnements/", views.subscriptions_page, name="subscriptions"),
    path("apercu/", views.preview, name="preview"),
    path("gerer/", views.manage_lists, name="manage"),
    path("gerer/nouvelle/", views.create_list, name="create"),
    path("gerer/<int:pk>/", views.edit_list, name="edit"),
    path("gerer/<int:pk>/fermer/", views.close_list, name="close"),
    path("gerer/<int:pk>/rouvrir/", views.reopen_list, name="reopen"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("resume/arreter/<str:token>/", views.stop_digest, name="stop_digest"),
    path("<slug:slug>/", views.archive, name="archive"),
    path("<slug:slug>/recherche/", views.archive_search, name="search"),
    path("<slug:slug>/nouveau/", views.new_thread, name="new_thread"),
    path("<slug:slug>/fil/<int:thread_id>/", views.thread, name="thread"),
    path("<slug:slug>/message/<int:message_id>/", views.message, name="message"),
    path(
        "<slug:slug>/message/<int:message_id>/original/",
        views.message_source,
        name="message_source",
    ),
    path("<slug:slug>/piece-jointe/<int:pk>/", views.attachment, name="attachment"),
]
