from django.urls import path

from maillage.showcase import feeds
from maillage.showcase.views import data, evidence, projects

app_name = "showcase"

urlpatterns = [
    path("", projects.catalogue, name="catalogue"),
    path("proposer/", projects.project_propose, name="propose"),
    path("webmention/", data.webmention_endpoint, name="webmention"),
    path("donnees/projets.jsonld", data.catalogue_json_ld, name="json_ld"),
    path("donnees/projets.csv", data.catalogue_csv, name="csv"),
    path("flux/atom/", feeds.NewProjectsFeed(), name="feed"),
    path("<slug:slug>/", projects.project_detail, name="project"),
    path("<slug:slug>/modifier/", projects.project_edit, name="edit"),
    path("<slug:slug>/dossier/", data.dossier_page, name="dossier"),
    path("<slug:slug>/dossier.pdf", data.dossier_pdf, name="dossier_pdf"),
    path("<slug:slug>/retours/ajouter/", evidence.evidence_add, name="evidence_add"),
    path("<slug:slug>/retours/adresse/", evidence.evidence_add_address, name="evidence_address"),
    path("<slug:slug>/retours/<int:pk>/modifier/", evidence.evidence_edit, name="evidence_edit"),
    path(
        "<slug:slug>/retours/<int:pk>/accepter/", evidence.evidence_accept, name="evidence_accept"
    ),
    path("<slug:slug>/retours/<int:pk>/refuser/", evidence.evidence_refuse, name="evidence_refuse"),
    path(
        "<slug:slug>/retours/<int:pk>/relire/",
        evidence.evidence_read_again,
        name="evidence_read_again",
    ),
    path(
        "<slug:slug>/retours/<int:pk>/supprimer/", evidence.evidence_delete, name="evidence_delete"
    ),
]
