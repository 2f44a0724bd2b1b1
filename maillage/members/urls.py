from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "members"

# Placeholder routes so the layout resolves; the members work replaces this file.
urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]
