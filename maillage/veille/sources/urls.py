from django.urls import path

from maillage.veille.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.sources_page, name="list"),
    path("ajouter/", views.subscribe, name="subscribe"),
    path("recherche/<int:pk>/", views.discovery, name="discovery"),
    path("<int:pk>/modifier/", views.subscription_edit, name="edit"),
    path("<int:pk>/retirer/", views.unsubscribe, name="unsubscribe"),
    path("opml/importer/", views.opml_import, name="opml_import"),
    path("opml/mes-sources.opml", views.opml_export, name="opml_export"),
    path("opml/sources-du-reseau.opml", views.opml_export_network, name="opml_export_network"),
    path("lecture/", views.reader, name="reader"),
    path("lecture/tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("lecture/<int:pk>/lu/", views.entry_read, name="entry_read"),
    path("lecture/<int:pk>/garder/", views.entry_keep, name="entry_keep"),
]
