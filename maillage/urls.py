from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("maillage.core.urls")),
    path("ateliers/", include("maillage.events.urls")),
    path("articles/partenaires/", include("maillage.articles.syndication.urls")),
    path("articles/", include("maillage.articles.urls")),
    path("commentaires/", include("maillage.articles.comments.urls")),
    path("membres/", include("maillage.members.urls")),
    path("veille/sources/", include("maillage.veille.sources.urls")),
    # Imports and exports first: their include holds only importer/… and exporter/….
    path("veille/", include("maillage.veille.imports.urls")),
    path("veille/", include("maillage.veille.urls")),
    path("vitrine/", include("maillage.showcase.urls")),
    path("premiers-pas/", include("maillage.onboarding.urls")),
    path("voix/", include("maillage.voices.urls")),
    path("questions/", include("maillage.inbox.urls")),
    path("liste/", include("maillage.mailing.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # No open route to MEDIA_ROOT: each app serves its uploads through a view that checks who
    # may see them (core.files), so a members-only avatar or attachment never leaks by its URL.
]
