from django.urls import path

from maillage.articles.syndication import views

app_name = "syndication"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("abonner/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/modifier/", views.subscription_edit, name="edit"),
    path("<int:pk>/relever/", views.subscription_fetch, name="fetch"),
    path("billets/<int:pk>/republier/", views.item_republish, name="republish"),
    path("billets/<int:pk>/extrait/", views.item_excerpt, name="excerpt"),
]
