from django.urls import path

from maillage.veille.views import bookmarks

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
]
