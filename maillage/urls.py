from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("maillage.core.urls")),
    path("ateliers/", include("maillage.events.urls")),
    path("membres/", include("maillage.members.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Uploaded files (avatars). Behind a real web server, let it serve MEDIA_ROOT instead.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]
