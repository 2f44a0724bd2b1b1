from django.urls import path

from maillage.articles.comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("flux.xml", feeds.LatestCommentsFeed(), name="feed"),
    path("atom.xml", feeds.LatestCommentsAtomFeed(), name="feed_atom"),
    path("<str:kind>/<int:object_id>/ecrire/", views.post, name="post"),
    path("<str:kind>/<int:object_id>/flux.xml", feeds.TargetCommentsFeed(), name="target_feed"),
    path(
        "<str:kind>/<int:object_id>/atom.xml",
        feeds.TargetCommentsAtomFeed(),
        name="target_feed_atom",
    ),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("<int:pk>/lien/", views.propose_link, name="propose_link"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
