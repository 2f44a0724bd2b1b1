from django.urls import path

from maillage.articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("nouveau/", views.article_create, name="create"),
    path("flux/rss/", feeds.ArticlesFeed(), name="feed_rss"),
    path("flux/atom/", feeds.ArticlesAtomFeed(), name="feed_atom"),
    path("flux/sujet/<slug:tag>/rss/", feeds.ArticlesFeed(), name="tag_feed_rss"),
    path("flux/sujet/<slug:tag>/atom/", feeds.ArticlesAtomFeed(), name="tag_feed_atom"),
    path("flux/auteur/<int:author>/rss/", feeds.ArticlesFeed(), name="author_feed_rss"),
    path("flux/auteur/<int:author>/atom/", feeds.ArticlesAtomFeed(), name="author_feed_atom"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/modifier/", views.article_edit, name="edit"),
    path("<slug:slug>/publier/", views.article_publish, name="publish"),
    path("<slug:slug>/depublier/", views.article_unpublish, name="unpublish"),
    path("<slug:slug>/archiver/", views.article_archive, name="archive"),
    path("<slug:slug>/couverture/", views.cover_image, name="cover"),
    path("<slug:slug>/pieces-jointes/", views.attachment_add, name="attachment_add"),
    path("<slug:slug>/pieces-jointes/<int:pk>/", views.attachment, name="attachment"),
    path(
        "<slug:slug>/pieces-jointes/<int:pk>/retirer/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<slug:slug>/liens/", views.link_add, name="link_add"),
    path("<slug:slug>/liens/<int:pk>/retirer/", views.link_remove, name="link_remove"),
    path("<slug:slug>/suggerer-un-lien/", views.suggest_link, name="suggest_link"),
    path(
        "<slug:slug>/suggestions/<int:pk>/accepter/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "<slug:slug>/suggestions/<int:pk>/refuser/",
        views.suggestion_decline,
        name="suggestion_decline",
    ),
]
