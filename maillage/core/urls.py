from django.urls import path

from maillage.core import views
from maillage.core.review import views as review_views
from maillage.core.search import views as search_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("recherche/", search_views.search_page, name="search"),
    path("moderation/", review_views.queue, name="review_queue"),
    path("moderation/<int:pk>/approuver/", review_views.approve, name="review_approve"),
    path("moderation/<int:pk>/rejeter/", review_views.reject, name="review_reject"),
    path("moderation/<int:pk>/indesirable/", review_views.mark_spam, name="review_spam"),
    path("moderation/reglages/", review_views.policy, name="review_policy"),
    path("moderation/chiffres/", review_views.figures, name="review_figures"),
]
