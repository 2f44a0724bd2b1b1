"""Demo feed subscriptions: the network follows three blogs on the seed's themes (libraries on
social networks, museums online, free licences), two members follow one more each, and each feed
holds the posts a fetch would have stored, from March and April 2014.

The blogs are fictional, on the reserved `.example` domain, and their posts are ours: loading
the demo never touches the network. Each feed is stored as freshly read, so the reader page has
something to show at once; when the worker later tries them, it finds no such site and the
sources page shows that error, as it would for any feed gone silent. Loading twice changes
nothing: feeds are found again by their addresses, entries by their digests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.feeds import entry_digest
from maillage.core.models import Tag
from maillage.core.text import french_spacing
from maillage.members import demo as members_demo
from maillage.members.models import Role, User
from maillage.veille.sources.models import Entry, Feed, ReadEntry, Subscription
from maillage.veille.sources.refresh import refresh_interval
from maillage.veille.sources.services import feed_for

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    published: tuple[int, int, int]
    summary: str


@dataclass(frozen=True)
class DemoFeed:
    url: str
    site: str
    title: str
    author: str
    tags: tuple[str, ...]
    # "" for the network's sources, else the member (email local part) who follows it.
    follower: str
    posts: tuple[DemoPost, ...]


FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed(
        url="https://bibliotheques-en-reseaux.example/feed/",
        site="https://bibliotheques-en-reseaux.example/",
        title="Bibliothèques en réseaux",
        author="Collectif Bibliothèques en réseaux",
        tags=("bibliothèques", "réseaux sociaux"),
        follower="",
        posts=(
            DemoPost(
                "une-page-facebook-pour-quoi-faire",
                "Une page Facebook, pour quoi faire ?",
                (2014, 3, 4),
                "Avant d’ouvrir une page, trois questions : à qui parle-t-on, pour dire quoi, "
                "et qui répondra le samedi ? Retour sur six mois d’une médiathèque de quartier.",
            ),
            DemoPost(
                "combien-de-publications-par-semaine",
                "Combien de publications par semaine ?",
                (2014, 3, 12),
                "Trois par semaine suffisent quand elles sont utiles : nos chiffres, publication "
                "par publication, et ce que nos lecteurs ont vraiment partagé.",
            ),
            DemoPost(
                "le-ton-serieux-ou-drole",
                "Sérieux ou drôle : trouver le ton de l’établissement",
                (2014, 3, 27),
                "L’humour marche quand il vient du métier. Exemples de bibliothèques qui font "
                "sourire sans perdre la confiance de leur tutelle.",
            ),
            DemoPost(
                "repondre-aux-questions-en-ligne",
                "Répondre aux questions des lecteurs en ligne",
                (2014, 4, 9),
                "Un message sans réponse pendant trois jours fait plus de tort qu’une page "
                "fermée : comment une équipe de cinq se partage les réponses.",
            ),
        ),
    ),
    DemoFeed(
        url="https://musees-en-ligne.example/rss.xml",
        site="https://musees-en-ligne.example/",
        title="Musées en ligne",
        author="Musées en ligne",
        tags=("musées", "médiation numérique"),
        follower="",
        posts=(
            DemoPost(
                "les-squelettes-qui-parlent",
                "Quand les squelettes prennent la parole",
                (2014, 3, 6),
                "Un muséum donne la parole à ses squelettes sur les réseaux : une voix, un "
                "personnage, des conservateurs qui répondent sous leur propre nom.",
            ),
            DemoPost(
                "les-agents-prennent-la-parole",
                "Laisser les agents parler de ce qu’ils connaissent",
                (2014, 3, 19),
                "Plutôt qu’un compte institutionnel unique, des comptes personnels : chacun "
                "parle de ses collections au public qu’elles intéressent.",
            ),
            DemoPost(
                "exposition-virtuelle-en-un-mois",
                "Une exposition virtuelle en un mois",
                (2014, 4, 2),
                "Le calendrier, les droits des images, l’accessibilité : ce qu’il faut prévoir "
                "pour une première exposition en ligne.",
            ),
        ),
    ),
    DemoFeed(
        url="https://licences-libres.example/atom.xml",
        site="https://licences-libres.example/",
        title="Le coin des licences libres",
        author="Le coin des licences libres",
        tags=("licences", "Creative Commons"),
        follower="",
        posts=(
            DemoPost(
                "choisir-une-licence-pour-ses-photos",
                "Choisir une licence pour ses photos",
                (2014, 3, 10),
                "BY, BY-SA, BY-NC : chaque licence Creative Commons expliquée en deux phrases, "
                "avec ce qu’elle permet à un journal de quartier.",
            ),
            DemoPost(
                "archives-et-domaine-public",
                "Archives et domaine public : ce que l’on peut verser",
                (2014, 3, 24),
                "Un fonds numérisé n’est pas forcément dans le domaine public : le point sur "
                "les droits avant de publier sur Wikimedia Commons.",
            ),
            DemoPost(
                "citer-une-image-sous-licence",
                "Citer une image sous licence libre",
                (2014, 4, 7),
                "Auteur, titre, licence, lien : la légende qui respecte la licence et que les "
                "lecteurs lisent vraiment.",
            ),
        ),
    ),
    DemoFeed(
        url="https://carnet-du-community-manager.example/feed/",
        site="https://carnet-du-community-manager.example/",
        title="Le carnet du community manager culturel",
        author="Le carnet du community manager culturel",
        tags=("community management",),
        follower="bastien.coquelin",
        posts=(
            DemoPost(
                "une-charte-en-une-page",
                "Une charte de prise de parole en une page",
                (2014, 3, 14),
                "Ce que l’on peut dire, ce que l’on évite, qui prévenir en cas de crise : une "
                "charte courte que chacun a vraiment lue.",
            ),
            DemoPost(
                "valider-de-ne-pas-tout-valider",
                "« Valider de ne pas tout valider »",
                (2014, 4, 1),
                "Relire les premières publications, puis faire confiance : comment une "
                "direction a accepté de ne plus tout relire.",
            ),
        ),
    ),
    DemoFeed(
        url="https://veille-documentaire.example/feed.atom",
        site="https://veille-documentaire.example/",
        title="Veille documentaire",
        author="Veille documentaire",
        tags=("veille",),
        follower="anne-laure.kervella",
        posts=(
            DemoPost(
                "du-tableur-au-marque-page-partage",
                "Du tableur au marque-page partagé",
                (2014, 3, 17),
                "Une documentaliste tenait sa veille dans un tableur : voici comment ses liens "
                "sont devenus une veille partagée, classée et cherchable.",
            ),
            DemoPost(
                "trois-flux-pour-commencer",
                "Trois flux pour commencer sa veille",
                (2014, 4, 4),
                "Un agrégateur, trois sources bien choisies et dix minutes par jour : la veille "
                "qui tient dans un emploi du temps chargé.",
            ),
        ),
    ),
)


def _coordinator() -> User | None:
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()


def _store_feed(data: DemoFeed, now: datetime) -> Feed:
    feed, _created = feed_for(data.url, title=french_spacing(data.title))
    Feed.objects.filter(pk=feed.pk).update(
        site_url=data.site,
        last_fetched_at=now,
        last_success_at=now,
        content_changed_at=now,
        next_fetch_at=now + refresh_interval(),
    )
    for post in data.posts:
        link = f"{data.site}2014/{post.published[1]:02d}/{post.slug}/"
        published = datetime(*post.published, 9, 30, tzinfo=PARIS)
        Entry.objects.update_or_create(
            feed=feed,
            digest=entry_digest(link),  # as a fetch keys an entry: by its guid
            defaults={
                "guid": link,
                "link": link,
                "title": french_spacing(post.title),
                "author": data.author,
                "summary": french_spacing(post.summary),
                "published_at": published,
                "sort_at": published,
                "last_seen_at": now,
            },
        )
    return feed


def _subscribe(data: DemoFeed, feed: Feed, follower: User | None, added_by: User | None) -> None:
    subscription, _created = Subscription.objects.get_or_create(
        feed=feed,
        member=follower,
        for_network=follower is None,
        defaults={"added_by": added_by},
    )
    subscription.tags.add(*Tag.objects.for_names(list(data.tags)))


def load_sources() -> str:
    now = timezone.now()
    members = members_demo.demo_members()
    coordinator = _coordinator()
    subscriptions = 0
    for data in FEEDS:
        follower = members.get(data.follower) if data.follower else None
        if data.follower and follower is None:
            continue
        feed = _store_feed(data, now)
        _subscribe(data, feed, follower, follower or coordinator)
        subscriptions += 1
        if follower is not None:
            # They have read the oldest post of their own feed: "unread first" has both kinds.
            oldest = feed.entries.order_by("sort_at").first()
            if oldest is not None:
                ReadEntry.objects.get_or_create(user=follower, entry=oldest)
    entries = Entry.objects.filter(feed__url__in=[data.url for data in FEEDS]).count()
    return _("%(subscriptions)d feed subscriptions, %(entries)d entries") % {
        "subscriptions": subscriptions,
        "entries": entries,
    }


# After the members (order 10), who follow two of the feeds, and the watch (order 50).
register_demo_loader("sources", load_sources, order=55)
