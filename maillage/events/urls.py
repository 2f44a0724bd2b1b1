from django.urls import path

from maillage.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("passes/", views.past_events, name="past"),
    path("nouveau/", views.event_create, name="create"),
    path("calendrier.ics", views.feed, name="feed"),
    path("calendrier/<slug:tag>.ics", views.tag_feed, name="tag_feed"),
    path("mon-calendrier/", views.my_calendar, name="my_calendar"),
    path("mon-calendrier/<str:token>.ics", views.member_feed, name="member_feed"),
    path("inscription/<str:token>/", views.registration_page, name="registration"),
    path("inscription/<str:token>/confirmer/", views.confirm_guest, name="confirm_guest"),
    path("inscription/<str:token>/annuler/", views.cancel_registration, name="cancel_registration"),
    path("inscription/<str:token>/accepter/", views.accept_offer, name="accept_offer"),
    path("inscription/<str:token>/refuser/", views.decline_offer, name="decline_offer"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/modifier/", views.event_edit, name="edit"),
    path("<slug:slug>/publier/", views.event_publish, name="publish"),
    path("<slug:slug>/annuler/", views.event_cancel, name="cancel"),
    path("<slug:slug>/inscription/", views.register, name="register"),
    path("<slug:slug>/agenda.ics", views.event_ics, name="ics"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants.csv", views.participants_csv, name="participants_csv"),
    path("<slug:slug>/participants.ods", views.participants_ods, name="participants_ods"),
    path("<slug:slug>/accueil/", views.check_in, name="check_in"),
    path("<slug:slug>/feuille-de-presence/", views.attendance_sheet, name="attendance_sheet"),
    path("<slug:slug>/cloturer/", views.close, name="close"),
    path("<slug:slug>/presences/", views.attendance_edit, name="attendance"),
    # Reports are articles now: their old addresses lead there for good.
    path("<slug:slug>/compte-rendu/", views.old_report, name="old_report"),
    path("<slug:slug>/compte-rendu/<path:rest>", views.old_report, name="old_report"),
]
