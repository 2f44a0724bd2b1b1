"""Demo data for events: the workshop of 26 March 2014, closed with who came, and a few to come
(its report is an article attached to it: see maillage/articles/demo.py).

Facts from the seed: a first workshop on 26 March 2014, 1 h 45, participatory, on how to deal
with institutions' reluctance to open up to social networks; 15 people (librarians,
documentalists, a communication student, people from culture and the web); a facilitator; a
report open to comments. Everything written here (descriptions) is our own wording.
Upcoming events are placed relative to today (whole days, fixed local times), so that loading
twice on the same day changes nothing and a demo loaded later still has events to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.licences import DEFAULT_LICENCE
from maillage.core.models import Tag
from maillage.core.text import french_spacing
from maillage.core.visibility import Visibility
from maillage.events.attendance import attendance_summary
from maillage.events.models import (
    Event,
    EventKind,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from maillage.members import demo as members_demo
from maillage.members.models import Profession, User

PARIS = ZoneInfo("Europe/Paris")
FIRST_WORKSHOP_SLUG = "reticences-institutionnelles-reseaux-sociaux-2014"


def _paris(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


@dataclass(frozen=True)
class DemoGuest:
    name: str
    email_local_part: str
    profession: str
    institution: str

    @property
    def email(self) -> str:
        return f"{self.email_local_part}@invites.{members_demo.DEMO_EMAIL_DOMAIN}"


# --- 26 March 2014 -------------------------------------------------------------------------------

FIRST_WORKSHOP_DESCRIPTION = """\
Beaucoup d’entre nous voudraient que leur bibliothèque, leur musée ou leur centre de \
documentation prenne la parole sur les réseaux sociaux. Et beaucoup se heurtent à la même \
prudence : « ce n’est pas notre métier », « on ne contrôlera plus rien », « qui va s’en \
occuper ? ».

Pour ce premier atelier du réseau, nous partons de vos expériences :

- d’où viennent les réticences, chez nos collègues comme dans nos hiérarchies ;
- ce qui a déjà fait « tilt » chez quelqu’un qui n’y croyait pas ;
- comment une institution peut parler sur les réseaux sans perdre sa cohérence.

Format participatif : pas de conférence, un tour de table et beaucoup d’échanges. \
Apportez vos questions… et vos réussites."""

# 12 members who came, plus 3 guests: 6 librarians, 3 documentalists, 2 archivists,
# 2 in communication and the web, 1 in cultural mediation, 1 student.
FIRST_WORKSHOP_MEMBERS = [
    "claire.morvan",
    "sophie.lebihan",
    "julien.tanguy",
    "nolwenn.guillou",
    "camille.rault",
    "helene.jaouen",
    "anne-laure.kervella",
    "karim.benali",
    "elodie.marchand",
    "ines.ferreira",
    "marie.lemoine",
    "vincent.lhermitte",
]
FIRST_WORKSHOP_GUESTS = [
    DemoGuest("Léna Gicquel", "lena.gicquel", Profession.LIBRARIAN, "Médiathèque de Vitré"),
    DemoGuest(
        "Yann Le Gall", "yann.legall", Profession.LIBRARIAN, "Bibliothèque de Saint-Grégoire"
    ),
    DemoGuest(
        "Audrey Le Floch", "audrey.lefloch", Profession.COMMUNICATION_WEB, "Théâtre du Vieux-Saint"
    ),
]


# --- To come -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingEvent:
    slug: str
    kind: str
    title: str
    summary: str
    description: str
    in_days: int
    at: time
    minutes: int
    capacity: int
    place_name: str
    place_address: str
    facilitators: tuple[str, ...]
    confirmed: tuple[str, ...]
    waiting: tuple[str, ...] = ()
    outside_facilitators: str = ""
    online_url: str = ""
    tags: tuple[str, ...] = ()
    question: tuple[str, str] | None = None


UPCOMING = [
    UpcomingEvent(
        slug="veille-flux-rss-formation",
        kind=EventKind.TRAINING,
        title="Faire sa veille avec les flux RSS",
        summary="Une après-midi pour monter sa veille avec un lecteur de flux, sur son ordinateur.",
        description=(
            "Trois heures pour passer de la liste de favoris à une veille qui vient à vous : "
            "trouver les flux des sites que vous suivez, les ranger dans un lecteur, trier sans "
            "tout lire, puis partager vos trouvailles avec vos collègues.\n\n"
            "Venez avec un ordinateur portable et trois ou quatre sites que vous consultez "
            "souvent."
        ),
        in_days=12,
        at=time(14, 0),
        minutes=180,
        capacity=12,
        place_name="Médiathèque La Canopée, salle multimédia",
        place_address="Cesson-Sévigné",
        facilitators=("elodie.marchand",),
        confirmed=("anne-laure.kervella", "julien.tanguy", "fatou.diallo", "lucie.hamon"),
        tags=("veille", "RSS", "formation"),
    ),
    UpcomingEvent(
        slug="comptes-personnels-parole-institution",
        kind=EventKind.MEETUP,
        title="Comptes personnels, parole d’institution : on en parle ?",
        summary=(
            "Une rencontre pour confronter nos pratiques : qui parle au nom de l’établissement ?"
        ),
        description=(
            "Après le premier atelier, la question revient souvent : peut-on laisser les agents "
            "parler de leur travail sur leurs propres comptes ? Deux établissements qui l’ont "
            "fait racontent comment ils s’y sont pris, ce qu’ils ont écrit dans leur charte et "
            "ce qu’ils regrettent. Puis on discute.\n\n"
            "Sur place ou en ligne, au choix."
        ),
        in_days=20,
        at=time(18, 30),
        minutes=90,
        capacity=30,
        place_name="Musée de la Vilaine, auditorium",
        place_address="Rennes",
        online_url="https://visio.docarennes.example/comptes-personnels",
        facilitators=("mathieu.quere",),
        outside_facilitators="Anne Kerdraon (muséum d’histoire naturelle)",
        confirmed=(
            "claire.morvan",
            "thomas.berthelot",
            "vincent.lhermitte",
            "gaelle.riou",
            "erwan.piriou",
            "nolwenn.guillou",
        ),
        tags=("réseaux sociaux", "devoir de réserve", "institutions"),
    ),
    UpcomingEvent(
        slug="pages-facebook-rythme-et-ton",
        kind=EventKind.WORKSHOP,
        title="Pages Facebook d’établissement : quel rythme, quel ton ?",
        summary=(
            "Un atelier pratique, sur le temps du midi, pour celles et ceux qui tiennent une page."
        ),
        description=(
            "Vous animez la page d’une bibliothèque, d’un CDI ou d’un musée ? Apportez vos "
            "statistiques et deux ou trois publications qui ont marché (ou pas) : nous les "
            "regarderons ensemble pour trouver un rythme tenable et un ton qui vous ressemble.\n\n"
            "Petit groupe, pour que chacun reparte avec un calendrier de publication."
        ),
        in_days=8,
        at=time(12, 30),
        minutes=90,
        capacity=6,
        place_name="Bibliothèque de quartier de Maurepas",
        place_address="Rennes",
        facilitators=("bastien.coquelin",),
        confirmed=(
            "nolwenn.guillou",
            "julien.tanguy",
            "ines.ferreira",
            "sophie.lebihan",
            "marie.lemoine",
            "fatou.diallo",
        ),
        waiting=("thomas.berthelot", "gaelle.riou", "pierre-yves.ledu"),
        tags=("Facebook", "réseaux sociaux", "atelier pratique"),
        question=("Tenez-vous déjà une page ?", "oui\nnon\nen projet"),
    ),
]


# --- Loading -------------------------------------------------------------------------------------


def _save_registration(
    event: Event, *, email: str, name: str, user: User | None, **fields: object
) -> Registration:
    registration, _created = Registration.objects.update_or_create(
        event=event,
        email=email,
        defaults={"name": name, "user": user, **fields},
    )
    return registration


def _member_fields(user: User) -> dict[str, object]:
    return {
        "profession": user.profession,
        "institution_name": user.institution.name if user.institution else "",
    }


def _load_first_workshop(members: dict[str, User]) -> int:
    coordinator, facilitator = members["claire.morvan"], members["mathieu.quere"]
    starts_at = _paris(date(2014, 3, 26), time(18, 0))
    event, _created = Event.objects.update_or_create(
        slug=FIRST_WORKSHOP_SLUG,
        defaults={
            "kind": EventKind.WORKSHOP,
            "title": french_spacing(
                "Comment dépasser les réticences de nos institutions face aux réseaux sociaux ?"
            ),
            "summary": french_spacing(
                "Premier atelier du réseau : freins, déclics et façons de parler en ligne au nom "
                "d’un établissement."
            ),
            "description": french_spacing(FIRST_WORKSHOP_DESCRIPTION),
            "licence": DEFAULT_LICENCE,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=1, minutes=45),
            "time_zone": "Europe/Paris",
            "place_name": "Musée de la Vilaine, salle de conférence",
            "place_address": "Rennes",
            "capacity": 20,
            "registration_closes_at": starts_at,
            "status": EventStatus.CLOSED,
            "visibility": Visibility.PUBLIC,
            "published_at": _paris(date(2014, 3, 5), time(10, 0)),
            "created_by": coordinator,
            "created_at": _paris(date(2014, 3, 4), time(21, 0)),
        },
    )
    event.facilitators.set([facilitator])
    event.organisers.set([coordinator])
    event.tags.set(Tag.objects.for_names(["réseaux sociaux", "institutions", "stratégie"]))

    arrivals = [
        (
            members[local].email,
            members[local].display_name,
            members[local],
            _member_fields(members[local]),
        )
        for local in FIRST_WORKSHOP_MEMBERS
    ] + [
        (
            guest.email,
            guest.name,
            None,
            {"profession": guest.profession, "institution_name": guest.institution},
        )
        for guest in FIRST_WORKSHOP_GUESTS
    ]
    for index, (email, name, user, fields) in enumerate(arrivals):
        registered = _paris(date(2014, 3, 6), time(9, 0)) + timedelta(hours=19 * index)
        _save_registration(
            event,
            email=email,
            name=name,
            user=user,
            status=RegistrationStatus.CONFIRMED,
            created_at=registered,
            confirmed_at=registered,
            # Everyone was ticked at the door, in the quarter of an hour before the start.
            checked_in_at=starts_at - timedelta(minutes=15) + timedelta(minutes=index),
            language="fr",
            **fields,
        )

    # Closed with who came (as the close form records it); its report is the articles' demo.
    summary = attendance_summary(event)
    event.attendees_count = summary.count
    event.professions_present = summary.professions
    event.institutions_present = summary.institutions
    event.closed_at = _paris(date(2014, 4, 2), time(9, 30))
    event.save(
        update_fields=[
            "attendees_count",
            "professions_present",
            "institutions_present",
            "closed_at",
        ]
    )
    return len(arrivals)


def _load_upcoming(members: dict[str, User], data: UpcomingEvent, today: date) -> int:
    coordinator = members["claire.morvan"]
    starts_at = _paris(today + timedelta(days=data.in_days), data.at)
    published = _paris(today - timedelta(days=10), time(10, 0))
    event, _created = Event.objects.update_or_create(
        slug=data.slug,
        defaults={
            "kind": data.kind,
            "title": french_spacing(data.title),
            "summary": french_spacing(data.summary),
            "description": french_spacing(data.description),
            "licence": DEFAULT_LICENCE,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=data.minutes),
            "time_zone": "Europe/Paris",
            "place_name": data.place_name,
            "place_address": data.place_address,
            "online_url": data.online_url,
            "outside_facilitators": data.outside_facilitators,
            "capacity": data.capacity,
            "status": EventStatus.PUBLISHED,
            "visibility": Visibility.PUBLIC,
            "published_at": published,
            "created_by": coordinator,
            "created_at": published - timedelta(hours=1),
        },
    )
    event.facilitators.set([members[local] for local in data.facilitators])
    event.organisers.set([coordinator, *(members[local] for local in data.facilitators)])
    event.tags.set(Tag.objects.for_names(data.tags))
    question = None
    if data.question:
        question, _created = RegistrationQuestion.objects.update_or_create(
            event=event,
            position=0,
            defaults={
                "label": french_spacing(data.question[0]),
                "kind": QuestionKind.CHOICE,
                "choices": data.question[1],
            },
        )

    count = 0
    first_arrival = published + timedelta(hours=2)
    for index, local in enumerate((*data.confirmed, *data.waiting)):
        user = members[local]
        arrived = first_arrival + timedelta(hours=7 * index)
        waiting = index >= len(data.confirmed)
        registration = _save_registration(
            event,
            email=user.email,
            name=user.display_name,
            user=user,
            status=RegistrationStatus.WAITING if waiting else RegistrationStatus.CONFIRMED,
            created_at=arrived,
            confirmed_at=None if waiting else arrived,
            waiting_since=arrived if waiting else None,
            language="fr",
            **_member_fields(user),
        )
        if question is not None:
            registration.answers.update_or_create(
                question=question, defaults={"value": ("oui", "en projet")[index % 2]}
            )
        count += 1
    return count


def load_events() -> str:
    members = members_demo.demo_members()
    today = timezone.localdate(timezone=PARIS)
    registrations = _load_first_workshop(members)
    for data in UPCOMING:
        registrations += _load_upcoming(members, data, today)
    return _("%(events)d events, %(registrations)d registrations") % {
        "events": 1 + len(UPCOMING),
        "registrations": registrations,
    }


register_demo_loader("events", load_events, order=30)
