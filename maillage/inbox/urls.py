from django.urls import path

from maillage.inbox.views import inside, public

app_name = "inbox"

urlpatterns = [
    path("confirmer/<str:token>/", public.confirm, name="confirm"),
    path("<slug:space>/", public.questions, name="public"),
    path("<slug:space>/poser/", public.ask, name="ask"),
    path("<slug:space>/poser/<slug:voice>/", public.ask, name="ask_voice"),
    path("<slug:space>/q/<int:pk>/", public.public_question, name="public_question"),
    path("<slug:space>/boite/", inside.inbox, name="inbox"),
    path("<slug:space>/boite/absence/", inside.own_absence, name="own_absence"),
    path("<slug:space>/boite/<int:pk>/", inside.question, name="question"),
    path("<slug:space>/boite/<int:pk>/donner/", inside.assign, name="assign"),
    path("<slug:space>/boite/<int:pk>/rendre/", inside.release, name="release"),
    path("<slug:space>/boite/<int:pk>/repondre/", inside.answer, name="answer"),
    path("<slug:space>/boite/<int:pk>/etat/", inside.change_state, name="state"),
    path("<slug:space>/relecture/", inside.review_queue, name="review"),
    path("<slug:space>/relecture/<int:record>/", inside.review_decide, name="review_decide"),
    path("<slug:space>/chiffres/", inside.figures_page, name="figures"),
    path("<slug:space>/chiffres.csv", inside.figures_csv, name="figures_csv"),
    path("<slug:space>/reglages/", inside.settings_page, name="settings"),
]
