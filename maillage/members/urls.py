from django.urls import path

from maillage.members import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/avatar/", views.avatar, name="avatar"),
    path("profil/modifier/", views.profile_edit, name="profile_edit"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/verifiez-vos-courriels/", views.signup_done, name="signup_done"),
    path("confirmation/renvoyer/", views.resend_confirmation, name="resend_confirmation"),
    path("confirmation/<str:token>/", views.confirm_email, name="confirm_email"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/modifier/termine/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<slug:slug>/", views.institution_detail, name="institution"),
]
