from django.urls import path

from maillage.voices.views import feeds, figures, posts, public, strategy, team

app_name = "voices"

urlpatterns = [
    path("", public.space_list, name="spaces"),
    path("mes-espaces/", team.my_spaces, name="my_spaces"),
    path("invitation/<str:token>/", team.accept, name="accept"),
    path("<slug:space>/", public.space_detail, name="space"),
    path("<slug:space>/flux/rss/", feeds.PostsFeed(), name="feed_rss"),
    path("<slug:space>/flux/atom/", feeds.PostsAtomFeed(), name="feed_atom"),
    path("<slug:space>/equipe/", team.team, name="team"),
    path("<slug:space>/equipe/<int:pk>/role/", team.change_role, name="change_role"),
    path("<slug:space>/reglages/", team.review_settings, name="settings"),
    path("<slug:space>/formation/", team.training, name="training"),
    path("<slug:space>/voix/", team.voice_edit, name="voice_edit_own"),
    path("<slug:space>/voix/<int:pk>/", team.voice_edit, name="voice_edit"),
    path("<slug:space>/strategie/", strategy.strategy, name="strategy"),
    path(
        "<slug:space>/strategie/versions/<int:number>/",
        strategy.version_detail,
        name="version",
    ),
    path(
        "<slug:space>/strategie/archiver/<str:what>/<int:pk>/",
        strategy.archive,
        name="archive",
    ),
    path("<slug:space>/canaux/", strategy.channels, name="channels"),
    path("<slug:space>/canaux/<int:pk>/", strategy.channels, name="channel_edit"),
    path("<slug:space>/publications/", posts.home, name="home"),
    path("<slug:space>/publications/nouvelle/", posts.edit, name="post_new"),
    path("<slug:space>/publications/<int:pk>/modifier/", posts.edit, name="post_edit"),
    path("<slug:space>/publications/<int:pk>/soumettre/", posts.submit, name="post_submit"),
    path("<slug:space>/publications/<int:pk>/reessayer/", posts.retry, name="post_retry"),
    path("<slug:space>/publications/<int:pk>/relayer/", posts.repost, name="post_repost"),
    path("<slug:space>/p/<int:pk>/", posts.detail, name="post"),
    path("<slug:space>/p/<int:pk>/image/", public.post_image, name="post_image"),
    path("<slug:space>/p/<int:pk>/utile/", posts.react, name="post_react"),
    path("<slug:space>/relecture/", posts.queue, name="queue"),
    path("<slug:space>/relecture/<int:pk>/approuver/", posts.approve, name="approve"),
    path("<slug:space>/relecture/<int:pk>/refuser/", posts.reject, name="reject"),
    path("<slug:space>/calendrier/", figures.calendar, name="calendar"),
    path("<slug:space>/chiffres/", figures.figures, name="figures"),
    path("<slug:space>/chiffres.csv", figures.figures_csv, name="figures_csv"),
    path("<slug:space>/flux/<slug:voice>/rss/", feeds.PostsFeed(), name="voice_feed_rss"),
    path("<slug:space>/flux/<slug:voice>/atom/", feeds.PostsAtomFeed(), name="voice_feed_atom"),
    path("<slug:space>/<slug:voice>/", public.voice_detail, name="voice"),
]
