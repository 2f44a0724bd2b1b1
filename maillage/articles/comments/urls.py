from django.urls import path

from maillage.articles.comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("flux.xml", feeds.LatestCommentsFeed(), name="feed"),
    path("<str:kind>/<int:object_id>/ecrire/", views.post, name="post"),
    path("<str:kind>/<int:object_id>/flux.xml", feeds.TargetCommentsFeed(), name="target_feed"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
