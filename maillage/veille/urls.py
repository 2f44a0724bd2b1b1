from django.urls import path

from maillage.veille import feeds
from maillage.veille.views import bookmarks, lists

app_name = "veille"

urlpatterns = [
    path("", bookmarks.shared_watch, name="shared"),
    path("mes-signets/", bookmarks.my_bookmarks, name="mine"),
    path("a-lire/", bookmarks.to_read, name="to_read"),
    path("membres/<int:pk>/", bookmarks.member, name="member"),
    path("mots-cles/<slug:slug>/", bookmarks.tag, name="tag"),
    path("ajouter/", bookmarks.bookmark_add, name="add"),
    path("ajouter/plusieurs/", bookmarks.bookmark_paste, name="paste"),
    path("bookmarklet/", bookmarks.bookmarklet, name="bookmarklet"),
    path("signets/<int:pk>/", bookmarks.bookmark_detail, name="bookmark"),
    path("signets/<int:pk>/modifier/", bookmarks.bookmark_edit, name="edit"),
    path("signets/<int:pk>/supprimer/", bookmarks.bookmark_delete, name="delete"),
    path("signets/<int:pk>/icone/", bookmarks.favicon, name="favicon"),
    # Lists and feeds out (views/lists.py, feeds.py)
    path(
        "signets/<int:pk>/ajouter-a-une-liste/",
        lists.bookmark_add_to_list,
        name="bookmark_add_to_list",
    ),
    path("listes/", lists.lists_index, name="lists"),
    path("listes/nouvelle/", lists.list_create, name="list_create"),
    path("listes/<slug:slug>/", lists.list_detail, name="list"),
    path("listes/<slug:slug>/modifier/", lists.list_edit, name="list_edit"),
    path("listes/<slug:slug>/supprimer/", lists.list_delete, name="list_delete"),
    path("listes/<slug:slug>/ajouter/", lists.list_add, name="list_add"),
    path("listes/<slug:slug>/pages/<int:pk>/deplacer/", lists.item_move, name="item_move"),
    path("listes/<slug:slug>/pages/<int:pk>/retirer/", lists.item_remove, name="item_remove"),
    path("listes/<slug:slug>/pages/<int:pk>/note/", lists.item_note, name="item_note"),
    path("listes/<slug:slug>/rss/", feeds.WatchFeed(), name="list_feed_rss"),
    path("listes/<slug:slug>/atom/", feeds.WatchAtomFeed(), name="list_feed_atom"),
    path("flux/rss/", feeds.WatchFeed(), name="feed_rss"),
    path("flux/atom/", feeds.WatchAtomFeed(), name="feed_atom"),
    path("flux/mots-cles/<slug:tag>/rss/", feeds.WatchFeed(), name="tag_feed_rss"),
    path("flux/mots-cles/<slug:tag>/atom/", feeds.WatchAtomFeed(), name="tag_feed_atom"),
    path("flux/membres/<int:member>/rss/", feeds.WatchFeed(), name="member_feed_rss"),
    path("flux/membres/<int:member>/atom/", feeds.WatchAtomFeed(), name="member_feed_atom"),
]
