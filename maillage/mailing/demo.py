"""Demo data for the mailing list: the network's list and a topic list, the threads the seed's
report calls for ("n'hésitez pas à les poster en commentaire ou sur la mailing-list": links to go
further, a list of successful projects, the Facebook questions), and subscriptions in every mode.

The facts come from the seed (the 26 March 2014 workshop, its report of 2 April, the projects
and tools it names); the messages are our own words. Loading twice changes nothing: lists by
slug, threads by their first message's Message-ID, messages by Message-ID, subscriptions by
list and member. Nothing is sent: demo messages were "sent" in 2014.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.mailing.models import (
    ArchiveAccess,
    DeliveryMode,
    MailingList,
    Message,
    MessageSource,
    MessageStatus,
    PostingPolicy,
    Subscription,
    Thread,
)
from maillage.members import demo as members_demo
from maillage.members.models import User

PARIS = ZoneInfo("Europe/Paris")
ID_DOMAIN = members_demo.DEMO_EMAIL_DOMAIN


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2014, month, day, hour, minute, tzinfo=PARIS)


@dataclass(frozen=True)
class DemoMessage:
    author: str  # a demo member's email local part
    when: datetime
    body: str
    source: str = MessageSource.WEB
    answers: int | None = None  # index of the message answered in the thread (None: the last)


@dataclass(frozen=True)
class DemoThread:
    key: str
    subject: str
    messages: tuple[DemoMessage, ...]


NETWORK_THREADS = (
    DemoThread(
        "liens-atelier-26-mars",
        "Liens pour aller plus loin après l’atelier du 26 mars",
        (
            DemoMessage(
                "claire.morvan",
                _at(4, 2, 9, 30),
                "Bonjour à toutes et à tous,\n\n"
                "Le compte-rendu de notre premier atelier (« Comment gérer les réticences "
                "institutionnelles ? ») est en ligne. Il se termine par une rubrique *Pour aller "
                "plus loin* encore bien maigre : postez vos liens ici ou en commentaire sous "
                "l’article, je les y ajouterai.\n\nÀ bientôt,\nClaire",
            ),
            DemoMessage(
                "sophie.lebihan",
                _at(4, 2, 11, 5),
                "Merci Claire ! Je propose la conférence de Pascal Desfarges sur les cultures "
                "numériques en bibliothèque, citée pendant l’atelier : c’est souvent elle qui "
                "fait « tilt » chez les collègues.",
                source=MessageSource.EMAIL,
            ),
            DemoMessage(
                "julien.tanguy",
                _at(4, 2, 14, 40),
                "Pour montrer ce qui se fait ailleurs, les **squelettes qui parlent** du "
                "Muséum de Toulouse restent mon exemple préféré : des objets de collection qui "
                "prennent la parole sur les réseaux, et un public qui répond.",
                answers=0,
            ),
            DemoMessage(
                "mathieu.quere",
                _at(4, 3, 8, 15),
                "> des objets de collection qui prennent la parole\n\n"
                "Et derrière, des agents à qui l’on a fait confiance. C’est tout le sujet : "
                "valider de ne pas tout valider.",
                source=MessageSource.EMAIL,
            ),
        ),
    ),
    DemoThread(
        "projets-reussis",
        "Compiler une liste de projets réussis ?",
        (
            DemoMessage(
                "mathieu.quere",
                _at(4, 4, 17, 0),
                "L’atelier a fini sur cette idée : rassembler les projets web qui ont marché "
                "dans nos établissements, avec les retours (commentaires, presse) qui le "
                "montrent. Qui a un exemple à partager ?",
            ),
            DemoMessage(
                "sophie.lebihan",
                _at(4, 4, 18, 20),
                "Le blog de la BU de Rennes 2, par exemple : il a commencé avec une personne, "
                "il est maintenant écrit à plusieurs mains.",
            ),
            DemoMessage(
                "camille.rault",
                _at(4, 5, 10, 0),
                "Je peux raconter le blog de la galerie où j’étais en stage : personne n’y "
                "croyait au début, et les artistes nous envoient maintenant leurs textes.",
            ),
            DemoMessage(
                "claire.morvan",
                _at(4, 7, 9, 0),
                "Très bonne idée : j’ouvre une page « vitrine » sur le site pour les "
                "rassembler, avec vos retours. Envoyez-moi les liens.",
                answers=0,
            ),
        ),
    ),
    DemoThread(
        "facebook-frequence",
        "Fréquence des posts sur Facebook : vos habitudes ?",
        (
            DemoMessage(
                "julien.tanguy",
                _at(4, 9, 12, 30),
                "Nous tenons la page Facebook de la médiathèque depuis six mois. Combien de "
                "publications par semaine faites-vous ? Plutôt sérieux, ou des choses plus "
                "légères ?",
            ),
            DemoMessage(
                "nolwenn.guillou",
                _at(4, 9, 16, 45),
                "Au CDI, deux ou trois par semaine, pas plus. Ce qui marche le mieux : les "
                "coulisses (une nouveauté qu’on déballe) et les questions posées aux élèves.",
                source=MessageSource.EMAIL,
            ),
            DemoMessage(
                "mathieu.quere",
                _at(4, 10, 9, 10),
                "Les community managers partagent beaucoup de conseils en ligne sur leur "
                "métier : une veille sur ce sujet vaut le détour. J’ai commencé une liste de "
                "ressources dans la veille partagée.",
            ),
        ),
    ),
)

TOPIC_THREADS = (
    DemoThread(
        "outils-planification",
        "Planifier ses publications : quels outils ?",
        (
            DemoMessage(
                "nolwenn.guillou",
                _at(5, 12, 13, 0),
                "Quelqu’un utilise un outil pour préparer les publications à l’avance ? Je "
                "voudrais éviter de tout faire le vendredi à 17 h.",
            ),
            DemoMessage(
                "mathieu.quere",
                _at(5, 12, 15, 30),
                "Au musée, un simple calendrier partagé suffit : chacun y note ce qu’il "
                "propose, et on garde de la place pour l’imprévu.",
            ),
        ),
    ),
)

# Who receives what: every mode is there, and some members are not subscribed at all.
SUBSCRIPTIONS = {
    "reseau": {
        "claire.morvan": DeliveryMode.EVERY_MESSAGE,
        "mathieu.quere": DeliveryMode.EVERY_MESSAGE,
        "sophie.lebihan": DeliveryMode.DAILY,
        "julien.tanguy": DeliveryMode.EVERY_MESSAGE,
        "nolwenn.guillou": DeliveryMode.WEEKLY,
        "camille.rault": DeliveryMode.WEB_ONLY,
        "helene.jaouen": DeliveryMode.WEEKLY,
        "thomas.berthelot": DeliveryMode.DAILY,
        "karim.benali": DeliveryMode.EVERY_MESSAGE,
    },
    "community-managers": {
        "mathieu.quere": DeliveryMode.EVERY_MESSAGE,
        "nolwenn.guillou": DeliveryMode.DAILY,
        "julien.tanguy": DeliveryMode.WEEKLY,
    },
}


def _lists(creator: User | None) -> dict[str, MailingList]:
    network, _created = MailingList.objects.update_or_create(
        slug="reseau",
        defaults={
            "name": "Doc@Rennes",
            "local_part": "reseau",
            "is_network_list": True,
            "description": "La liste de tout le réseau : questions, annonces, retours "
            "d’ateliers. Écrivez depuis le site ou par courriel.",
            "subject_prefix": "[Doc@Rennes]",
            "archive_access": ArchiveAccess.MEMBERS,
            "created_by": creator,
            "created_at": _at(1, 9, 10),
        },
    )
    topic, _created = MailingList.objects.update_or_create(
        slug="community-managers",
        defaults={
            "name": "Community managers",
            "local_part": "community-managers",
            "description": "Pour celles et ceux qui tiennent les comptes de leur établissement "
            "sur les réseaux sociaux : outils, fréquence, ton. Archives publiques.",
            "subject_prefix": "[CM]",
            "archive_access": ArchiveAccess.PUBLIC,
            "posting_policy": PostingPolicy.TRUSTED,
            "min_trust_level": 1,
            "created_by": creator,
            "created_at": _at(4, 15, 10),
        },
    )
    return {"reseau": network, "community-managers": topic}


def _load_thread(mailing_list: MailingList, data: DemoThread, people: dict[str, User]) -> None:
    def message_id(index: int) -> str:
        return f"<demo.{mailing_list.slug}.{data.key}.{index}@{ID_DOMAIN}>"

    first_author = people[data.messages[0].author]
    first = Message.objects.filter(message_id=message_id(0)).select_related("thread").first()
    thread = first.thread if first is not None else None
    if thread is None:
        thread = Thread.objects.create(
            mailing_list=mailing_list,
            subject=data.subject,
            started_by=first_author,
            created_at=data.messages[0].when,
        )
    created: list[Message] = []
    for index, item in enumerate(data.messages):
        author = people[item.author]
        parent = None
        if index:
            parent = created[item.answers if item.answers is not None else index - 1]
        references = " ".join([*parent.reference_ids, parent.message_id][-20:]) if parent else ""
        message, _created = Message.objects.update_or_create(
            message_id=message_id(index),
            defaults={
                "thread": thread,
                "mailing_list": mailing_list,
                "author": author,
                "author_name": author.display_name,
                "subject": data.subject if not index else f"Re: {data.subject}",
                "body": item.body,
                "parent": parent,
                "references": references,
                "source": item.source,
                "status": MessageStatus.PUBLISHED,
                "created_at": item.when,
                "published_at": item.when,
                "distributed_at": item.when,
            },
        )
        created.append(message)
    counts = thread.messages.aggregate(
        count=Count("pk", filter=Q(status=MessageStatus.PUBLISHED)), last=Max("published_at")
    )
    thread.message_count = counts["count"]
    thread.last_message_at = counts["last"]
    thread.save(update_fields=["message_count", "last_message_at"])


def load_mailing() -> str | None:
    people = members_demo.demo_members()
    if not people:
        return None
    lists = _lists(people.get("claire.morvan"))
    for data in NETWORK_THREADS:
        _load_thread(lists["reseau"], data, people)
    for data in TOPIC_THREADS:
        _load_thread(lists["community-managers"], data, people)
    for slug, modes in SUBSCRIPTIONS.items():
        for local_part, mode in modes.items():
            member = people.get(local_part)
            if member is not None:
                Subscription.objects.update_or_create(
                    mailing_list=lists[slug], member=member, defaults={"mode": mode}
                )
    return _(
        "%(lists)s lists, %(threads)s threads, %(messages)s messages, %(subscriptions)s "
        "subscriptions"
    ) % {
        "lists": MailingList.objects.count(),
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "subscriptions": Subscription.objects.count(),
    }


register_demo_loader("mailing", load_mailing, order=70)
