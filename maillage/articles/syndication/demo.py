"""Demo partner feed: a partner's blog that relayed the report of 26 March 2014 "via un article
de docarennes" under a Creative Commons licence, as the seed tells, and two more of its posts —
one republished here with its attribution, one that only an excerpt may quote.

Nothing is fetched while loading: the items are stored as a fetch would have stored them, and
the subscription is paused (its site is fictional, a real fetch could only fail). The prose is
ours. Loading twice changes nothing: rows are found again by their addresses.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from maillage.articles import services as articles
from maillage.articles.syndication import services
from maillage.articles.syndication.models import FeedItem, FetchStatus, Subscription
from maillage.core.demo import register_demo_loader
from maillage.core.licences import Licence
from maillage.core.text import french_spacing
from maillage.members import demo as members_demo
from maillage.members.models import User

PARIS = ZoneInfo("Europe/Paris")
SITE = "https://finistere-en-communs.example/"
FEED = f"{SITE}feed/"
RELAY_URL = f"{SITE}2014/04/03/rennes-les-reticences-de-nos-institutions/"
PHOTOS_URL = f"{SITE}2014/04/08/phototheque-partagee-sous-licence-libre/"
PROGRAMME_URL = f"{SITE}2014/04/09/rencontres-de-printemps-le-programme/"

RELAY = """\
<p><em>Via un article de docarennes, publié le 2 avril 2014.</em></p>
<p>À Rennes, un collectif tout neuf réunit bibliothécaires, documentalistes et archivistes. \
Son premier atelier, le 26 mars, a posé une question que nous connaissons bien : comment \
convaincre nos établissements de parler sur les réseaux sociaux sans tout faire valider ?</p>
<p>Leur compte-rendu part des freins (« pas le temps », « pas mon métier ») pour arriver aux \
déclics : montrer un outil à partir du travail de chacun. Nous le relayons ici, et vous \
invitons à le lire en entier chez eux.</p>
"""

PHOTOS = """\
<p>Depuis l’automne, la médiathèque de quartier verse ses photographies d’animations sur \
Flickr, sous licence Creative Commons Attribution – Partage dans les mêmes conditions. \
Voici ce que cela a changé pour nous.</p>
<h2>Pourquoi une licence libre</h2>
<p>Avant, chaque demande de réutilisation passait par un courriel, une signature, une \
attente. Aujourd’hui, une école ou un journal de quartier prend la photo et nous cite : \
<strong>la licence répond à notre place</strong>.</p>
<h2>Ce qu’il a fallu prévoir</h2>
<ul>
<li>l’accord écrit des personnes photographiées ;</li>
<li>une légende qui nomme le lieu, la date et l’auteur ;</li>
<li>un album par saison, pour que l’on s’y retrouve.</li>
</ul>
<p>Un collègue, photographe amateur, a tout mis en place en deux après-midi. Il en parle \
mieux que nous : <a href="https://finistere-en-communs.example/photos/">voir nos albums</a>.</p>
"""

PROGRAMME = """\
<p>Les rencontres de printemps du réseau finistérien auront lieu le 24 mai à Quimper : \
ateliers sur la veille partagée, retours d’expérience sur les pages Facebook de \
bibliothèques et table ronde sur les licences libres dans les archives. Le programme \
détaillé, les horaires et l’inscription sont sur notre site ; les places sont limitées à \
quarante personnes par atelier, pensez à vous inscrire tôt.</p>
"""

ITEMS: list[dict[str, Any]] = [
    {
        "link": RELAY_URL,
        "title": "Rennes : dépasser les réticences de nos institutions face aux réseaux",
        "author": "Gaëlle Kerhervé",
        "published_at": datetime(2014, 4, 3, 8, 45, tzinfo=PARIS),
        "content": RELAY,
        "licence": Licence.CC_BY_NC_ND,
        "licence_declared": "Article sous licence Creative Commons",
    },
    {
        "link": PHOTOS_URL,
        "title": "Photothèque partagée : nos animations sur Flickr, sous licence libre",
        "author": "Erwan Le Du",
        "published_at": datetime(2014, 4, 8, 17, 20, tzinfo=PARIS),
        "content": PHOTOS,
        "licence": Licence.CC_BY_SA,
        "licence_declared": "https://creativecommons.org/licenses/by-sa/3.0/fr/",
    },
    {
        "link": PROGRAMME_URL,
        "title": "Rencontres de printemps : le programme",
        "author": "",
        "published_at": datetime(2014, 4, 9, 12, 0, tzinfo=PARIS),
        "content": PROGRAMME,
        "licence": Licence.ALL_RIGHTS_RESERVED,
        "licence_declared": "© 2014 Finistère en communs, tous droits réservés",
    },
]
FETCHED_AT = datetime(2014, 4, 10, 9, 0, tzinfo=PARIS)
REPUBLISHED_AT = datetime(2014, 4, 10, 9, 30, tzinfo=PARIS)


def load_partner_feed() -> str | None:
    coordinator = User.objects.filter(email=members_demo.COORDINATOR_EMAIL).first()
    if coordinator is None:
        return None
    subscription, _created = Subscription.objects.update_or_create(
        feed_url=FEED,
        defaults={
            "name": "Finistère en communs",
            "site_url": SITE,
            "feed_title": "Finistère en communs — le blog du réseau",
            "is_active": False,
            "last_status": FetchStatus.OK,
            "last_fetched_at": FETCHED_AT,
            "next_fetch_at": FETCHED_AT,
            "created_by": coordinator,
            "created_at": datetime(2014, 4, 4, 10, 0, tzinfo=PARIS),
        },
    )
    items = {}
    for data in ITEMS:
        content = french_spacing(data["content"])
        item, _created = FeedItem.objects.update_or_create(
            subscription=subscription,
            link=data["link"],
            defaults={
                "digest": hashlib.sha256(data["link"].encode()).hexdigest(),
                "guid": data["link"],
                "title": french_spacing(data["title"]),
                "author": data["author"],
                "published_at": data["published_at"],
                "language": "fr",
                "summary": "",
                "content": content,
                "licence": data["licence"],
                "licence_declared": data["licence_declared"],
                "fetched_at": FETCHED_AT,
                "updated_at": FETCHED_AT,
            },
        )
        items[data["link"]] = item
    photos = items[PHOTOS_URL]
    if photos.article_id is None:
        article = services.republish_item(item=photos, by=coordinator)
        articles.publish_article(article=article, by=coordinator, at=REPUBLISHED_AT)
        FeedItem.objects.filter(pk=photos.pk).update(shared_at=REPUBLISHED_AT)
    return _("%(name)s: %(count)d items (republished: %(shared)d)") % {
        "name": subscription.name,
        "count": len(items),
        "shared": FeedItem.objects.filter(subscription=subscription, article__isnull=False).count(),
    }


register_demo_loader("syndication", load_partner_feed, order=45)
