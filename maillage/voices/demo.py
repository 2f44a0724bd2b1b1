"""Demo: the Musée de la Vilaine's natural-history collections speak through four of its staff,
as the seed's example of a museum whose agents each speak of what they know best.

A strategy with three audiences (versioned), three channels with weekly targets, four voices with
their expertise, and a month of posts (31 March – 27 April 2014) in varied tones: most published
directly, some held and released, one not published, one still waiting (escalated), a few
sampled with a word for their author. Engagement figures are invented but tell a story: behind
the scenes and humour engage more, Wednesday and Saturday too. Names and texts are ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.review import ReviewRecord
from maillage.members.demo import DEMO_PASSWORD
from maillage.members.models import Institution, InstitutionKind, Profession, User
from maillage.voices.models import (
    Audience,
    Channel,
    Delivery,
    Goal,
    KeyMessage,
    Membership,
    Post,
    Reaction,
    Space,
    StrategyVersion,
    Voice,
)
from maillage.voices.services.strategy import snapshot
from maillage.voices.services.voices import tags_for

PARIS = ZoneInfo("Europe/Paris")
FIRST_DAY = date(2014, 3, 31)  # a Monday, five days after the workshop
EMAIL_DOMAIN = "docarennes.example"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(FIRST_DAY + timedelta(days=day), time(hour, minute), tzinfo=PARIS)


@dataclass(frozen=True)
class Person:
    local: str
    name: str
    role: str
    title: str = ""
    expertise: tuple[str, ...] = ()
    bio: str = ""
    trained_on: int | None = -20  # days from FIRST_DAY; None: not yet


PEOPLE = [
    Person("mathieu.quere", "Mathieu Quéré", "admin"),
    Person(
        "anne.quintin",
        "Anne Quintin",
        "editor",
        bio="Conservatrice des collections d’histoire naturelle. Elle relit peu, mais vite, et "
        "préfère former les collègues que tout valider.",
    ),
    Person(
        "gael.rolland",
        "Gaël Rolland",
        "reviewer",
        bio="Chargé de communication du musée. Il tient l’agenda des publications et relit "
        "celles qui sortent des compétences de leur auteur.",
    ),
    Person(
        "camille.legoff",
        "Camille Le Goff",
        "voice",
        "chargée des collections d’entomologie",
        ("entomologie", "insectes", "réserves"),
        "Elle range, étiquette et raconte 40 000 insectes, des carabes de 1893 aux phasmes "
        "d’élevage.",
    ),
    Person(
        "lucie.brehat",
        "Lucie Bréhat",
        "voice",
        "préparatrice en ostéologie",
        ("ostéologie", "squelettes", "restauration"),
        "Elle remonte les squelettes de la grande galerie, os par os, et sait pourquoi la baleine "
        "a deux bras.",
    ),
    Person(
        "yannick.ollivier",
        "Yannick Ollivier",
        "voice",
        "responsable des herbiers",
        ("botanique", "herbiers", "sciences participatives"),
        "Il veille sur 120 000 planches d’herbier et sur les bénévoles qui les numérisent.",
        trained_on=14,
    ),
    Person(
        "thomas.berthelot",
        "Thomas Berthelot",
        "voice",
        "médiateur des sciences naturelles",
        ("médiation", "visites", "familles", "ateliers"),
        "Il raconte les collections aux visiteurs, et maintenant en quelques lignes en ligne.",
    ),
]

AUDIENCES = [
    (
        "Familles de la métropole",
        "Parents et grands-parents avec des enfants de 5 à 12 ans",
        "Une sortie du mercredi ou du week-end, des ateliers, des choses étonnantes à montrer",
        "Facebook, Bluesky, les pages « sortir » des sites locaux",
        "environ 40 000 foyers",
        [
            "Le muséum se visite en famille, et c’est gratuit le premier dimanche",
            "Les ateliers du mercredi font toucher les collections",
        ],
    ),
    (
        "Passionnés de sciences naturelles",
        "Naturalistes amateurs, étudiants, associations, chercheurs",
        "Les spécimens, les coulisses, la science en train de se faire",
        "Mastodon, forums naturalistes, listes d’associations",
        "quelques milliers",
        [
            "Nos réserves sont une bibliothèque du vivant ouverte aux curieux",
            "Chacun peut contribuer : les herbiers se numérisent avec des bénévoles",
        ],
    ),
    (
        "Enseignants et scolaires",
        "Professeurs des écoles, de SVT, documentalistes",
        "Des ressources pour la classe, des visites adaptées au programme",
        "Mastodon, listes académiques, réseaux de documentalistes",
        "environ 900 établissements",
        [
            "Des visites et des fiches pour chaque niveau",
            "Les collections servent le programme de SVT",
        ],
    ),
]

GOALS = [
    (
        "Faire connaître les collections qui dorment en réserve",
        "Projet scientifique et culturel 2014-2018, axe 2 : ouvrir les réserves",
    ),
    (
        "Faire venir les familles hors vacances scolaires",
        "Contrat d’objectifs avec la ville : fréquentation des publics de proximité",
    ),
    (
        "Donner envie aux enseignants de préparer une visite",
        "Convention avec l’académie : éducation artistique et culturelle",
    ),
]

CHARTER = (
    "Chacun parle en son nom, de ce qu’il connaît le mieux, pour le public que cela intéresse.\n"
    "Devoir de réserve : pas d’avis personnel sur les décisions de la direction ou de la ville ; "
    "on renvoie à la position publique du muséum.\n"
    "Pas de photo de visiteur sans son accord, pas de donnée sur les spécimens protégés "
    "(localisation des nids, des stations de plantes rares).\n"
    "En cas de crise (polémique, erreur, sujet sensible) : ne pas supprimer dans la précipitation, "
    "prévenir Mathieu ou Anne, répondre une fois, calmement, avec les faits."
)
TONE = (
    "Chaleureux et précis. L’humour est bienvenu s’il sert les collections, jamais aux dépens "
    "des visiteurs. Les coulisses plaisent : montrez les gestes et les outils."
)

# (day, hour, voice, tone, audience, message, tags, channels, engagement, review, text)
# review: "direct", "sampled", "held:<minutes>", "rejected", "waiting"
POSTS: list[tuple[int, int, str, str, int, int, str, str, tuple[int, int, int], str, str]] = [
    (
        0,
        10,
        "camille",
        "behind_the_scenes",
        1,
        0,
        "entomologie, réserves",
        "SM",
        (3, 9, 24),
        "direct",
        "Ce matin en réserve : un carabe doré de 1893, étiquette d’origine à l’encre violette. "
        "Il brille encore.",
    ),
    (
        0,
        18,
        "thomas",
        "warm",
        0,
        0,
        "familles, visites",
        "SB",
        (1, 4, 12),
        "direct",
        "Premier dimanche du mois : le muséum est gratuit. Venez voir les squelettes avec les "
        "enfants, on vous attend à l’accueil.",
    ),
    (
        1,
        12,
        "lucie",
        "informative",
        1,
        0,
        "ostéologie, squelettes",
        "SM",
        (2, 3, 8),
        "direct",
        "Pourquoi la baleine de la grande galerie a-t-elle deux « bras » ? Ce sont les os de ses "
        "nageoires, ceux d’un mammifère.",
    ),
    (
        2,
        10,
        "thomas",
        "warm",
        0,
        1,
        "ateliers, familles",
        "SB",
        (2, 6, 19),
        "direct",
        "Atelier du mercredi : aujourd’hui, on touche de vraies plumes et de vrais os. Il reste "
        "quatre places à 14 h.",
    ),
    (
        2,
        17,
        "camille",
        "humorous",
        1,
        0,
        "insectes, entomologie",
        "SM",
        (6, 14, 41),
        "sampled",
        "Nos phasmes ont mué cette nuit. Ils ont laissé leur ancienne peau accrochée au "
        "couvercle, comme un pyjama oublié.",
    ),
    (
        3,
        9,
        "yannick",
        "informative",
        1,
        1,
        "herbiers, botanique",
        "SM",
        (1, 5, 9),
        "held:95",
        "Les bénévoles ont numérisé 2 000 planches d’herbier ce mois-ci. Les images seront en "
        "ligne sous licence libre.",
    ),
    (
        4,
        12,
        "lucie",
        "behind_the_scenes",
        1,
        0,
        "restauration, squelettes",
        "SM",
        (4, 11, 30),
        "direct",
        "Restauration du renard : une vertèbre manquait. Nous l’avons moulée d’après son voisin "
        "de vitrine.",
    ),
    (
        5,
        11,
        "thomas",
        "question",
        0,
        0,
        "familles, visites",
        "SB",
        (9, 3, 15),
        "direct",
        "Question du samedi : quel animal de la galerie a le plus de dents ? Réponse en "
        "commentaire, indice : il est rayé.",
    ),
    (
        7,
        10,
        "camille",
        "informative",
        2,
        1,
        "insectes, entomologie",
        "SM",
        (1, 4, 10),
        "direct",
        "Enseignants : notre fiche « Les insectes de la haie » pour le cycle 3 est en ligne, "
        "avec trois spécimens à observer en visite.",
    ),
    (
        7,
        16,
        "yannick",
        "behind_the_scenes",
        1,
        1,
        "herbiers, sciences participatives",
        "M",
        (2, 7, 16),
        "held:140",
        "Une planche de 1860 : un bouton-d’or cueilli à Cesson. Le collecteur avait noté « "
        "prairie humide, mai ».",
    ),
    (
        8,
        12,
        "lucie",
        "humorous",
        0,
        0,
        "squelettes",
        "SB",
        (7, 18, 52),
        "direct",
        "Le squelette de dinosaure de la grande galerie est une copie. Le vrai n’aurait pas tenu "
        "dans l’escalier.",
    ),
    (
        9,
        10,
        "thomas",
        "warm",
        0,
        1,
        "ateliers",
        "SB",
        (3, 8, 22),
        "direct",
        "Atelier du mercredi, suite : un petit groupe a reconstitué une patte de héron. Bravo à "
        "eux !",
    ),
    (
        9,
        18,
        "camille",
        "behind_the_scenes",
        1,
        0,
        "réserves, entomologie",
        "SM",
        (5, 12, 37),
        "sampled",
        "Dans les tiroirs, les papillons sont rangés par famille, puis par pays. Un tiroir = un "
        "voyage.",
    ),
    (
        10,
        9,
        "yannick",
        "informative",
        2,
        1,
        "botanique",
        "M",
        (0, 2, 4),
        "held:60",
        "Pour les SVT : un herbier montre la diversité d’une famille de plantes mieux qu’un "
        "schéma. Visites sur réservation.",
    ),
    (
        11,
        12,
        "lucie",
        "informative",
        2,
        1,
        "ostéologie",
        "SM",
        (1, 3, 9),
        "direct",
        "Les os racontent l’alimentation : comparez les dents du renard et du lièvre lors de "
        "votre prochaine visite de classe.",
    ),
    (
        12,
        11,
        "thomas",
        "humorous",
        0,
        0,
        "familles",
        "SB",
        (8, 15, 44),
        "direct",
        "Samedi au muséum : l’ours empaillé a eu droit à un câlin. Nous ne le dirons pas au "
        "conservateur.",
    ),
    (
        12,
        15,
        "camille",
        "informative",
        1,
        0,
        "minéralogie",
        "SM",
        (1, 2, 6),
        "held:170",
        "Saviez-vous que nos réserves gardent aussi des minéraux ? Une collection à redécouvrir "
        "bientôt.",
    ),
    (
        14,
        10,
        "yannick",
        "question",
        1,
        1,
        "herbiers, sciences participatives",
        "SM",
        (6, 4, 13),
        "direct",
        "Vous aimez déchiffrer les vieilles écritures ? Les étiquettes d’herbier ont besoin de "
        "vous, en ligne, même une heure.",
    ),
    (
        14,
        18,
        "lucie",
        "behind_the_scenes",
        1,
        0,
        "restauration",
        "SM",
        (3, 10, 29),
        "direct",
        "Nettoyage d’un crâne de bouquetin au pinceau doux. Patience : trois heures pour une "
        "seule corne.",
    ),
    (
        15,
        12,
        "thomas",
        "informative",
        2,
        0,
        "visites",
        "M",
        (0, 3, 7),
        "direct",
        "Les visites scolaires de mai sont ouvertes à la réservation. Dix créneaux, du CP à la "
        "terminale.",
    ),
    (
        16,
        10,
        "camille",
        "warm",
        0,
        1,
        "insectes, ateliers",
        "SB",
        (4, 9, 25),
        "sampled",
        "Atelier du mercredi : les enfants ont dessiné les insectes vus à la loupe. Exposition "
        "des dessins dans le hall !",
    ),
    (
        16,
        17,
        "yannick",
        "behind_the_scenes",
        1,
        0,
        "herbiers",
        "SM",
        (2, 8, 21),
        "direct",
        "Le séchoir à plantes, un meuble de 1900 qui sert encore chaque printemps. Les bénévoles "
        "l’appellent « le four ».",
    ),
    (
        17,
        9,
        "lucie",
        "informative",
        1,
        0,
        "squelettes",
        "S",
        (0, 0, 0),
        "rejected",
        "Fermeture de la grande galerie pour travaux la semaine prochaine, on ne sait pas "
        "combien de temps.",
    ),
    (
        18,
        12,
        "thomas",
        "question",
        0,
        0,
        "familles",
        "SB",
        (10, 4, 18),
        "direct",
        "Quel est votre animal préféré de la galerie ? Les enfants de l’atelier votent pour le "
        "paresseux.",
    ),
    (
        19,
        11,
        "camille",
        "humorous",
        0,
        0,
        "insectes",
        "SB",
        (9, 21, 58),
        "direct",
        "Un visiteur nous demande si les scarabées de la vitrine sont « vrais ». Oui. Et non, "
        "ils ne bougent plus depuis 1920.",
    ),
    (
        19,
        16,
        "yannick",
        "warm",
        1,
        1,
        "sciences participatives",
        "SM",
        (3, 6, 17),
        "direct",
        "Merci aux 48 bénévoles de l’herbier : 10 000 planches numérisées depuis janvier. Vous "
        "êtes formidables.",
    ),
    (
        21,
        10,
        "lucie",
        "behind_the_scenes",
        2,
        1,
        "ostéologie, squelettes",
        "SM",
        (2, 6, 15),
        "direct",
        "Pour les classes : nous préparons une malle de moulages d’os à manipuler. Premier essai "
        "avec un CM1 en juin.",
    ),
    (
        22,
        12,
        "thomas",
        "informative",
        0,
        0,
        "visites, familles",
        "SB",
        (2, 5, 11),
        "direct",
        "Vacances de printemps : visites contées à 11 h et 15 h, sans réservation, dès 4 ans.",
    ),
    (
        23,
        10,
        "camille",
        "behind_the_scenes",
        1,
        0,
        "réserves, entomologie",
        "SM",
        (6, 13, 39),
        "direct",
        "Inventaire : 312 boîtes de coléoptères vérifiées cette semaine. Le plus petit spécimen "
        "mesure 1 mm.",
    ),
    (
        23,
        17,
        "yannick",
        "informative",
        2,
        1,
        "botanique, herbiers",
        "M",
        (1, 2, 5),
        "direct",
        "Les planches numérisées sont utilisables en classe : licence libre, haute définition, "
        "avec la date et le lieu de récolte.",
    ),
    (
        24,
        15,
        "thomas",
        "informative",
        1,
        0,
        "minéralogie",
        "SM",
        (0, 0, 0),
        "waiting",
        "Des météorites dans nos réserves ? Une rumeur à vérifier avec la conservatrice avant "
        "d’en dire plus.",
    ),
    (
        26,
        11,
        "lucie",
        "humorous",
        0,
        0,
        "squelettes",
        "SB",
        (8, 17, 49),
        "direct",
        "Le squelette de cheval a retrouvé sa queue. Elle était rangée dans la mauvaise caisse "
        "depuis 1978.",
    ),
    (
        26,
        18,
        "camille",
        "warm",
        0,
        0,
        "insectes, familles",
        "SB",
        (5, 10, 33),
        "direct",
        "Premier dimanche de mai : venez voir les papillons de nuit, en vrai, à la loupe. "
        "Gratuit, comme toujours ce jour-là.",
    ),
]

VOICE_KEYS = {
    "camille": "camille.legoff",
    "lucie": "lucie.brehat",
    "yannick": "yannick.ollivier",
    "thomas": "thomas.berthelot",
}
CHANNEL_KEYS = {"S": "Pages du muséum", "M": "Mastodon du muséum", "B": "Bluesky du muséum"}


def _user(person: Person, institution: Institution) -> User:
    """The museum's staff who are not in the members demo get an account of their own (their
    profile says what they do); existing members are left as they are."""
    email = f"{person.local}@{EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            display_name=person.name,
            password=make_password(DEMO_PASSWORD),
            profession=Profession.CULTURAL_MEDIATION,
            institution=institution,
            bio=person.bio,
            email_confirmed_at=_at(-60, 9),
            date_joined=_at(-60, 9),
        )
        user.expertise.set(tags_for(person.expertise))
    return user


def _space(institution: Institution) -> Space:
    space, _created = Space.objects.update_or_create(
        institution=institution,
        defaults={
            "introduction": (
                "Les collections d’histoire naturelle du musée parlent par la voix de celles et "
                "ceux qui les connaissent le mieux : chacun de ce qu’il sait, au public que cela "
                "intéresse."
            ),
            "charter": CHARTER,
            "charter_revision": 2,
            "tone_guidelines": TONE,
            "watch_words": "grève\ntravaux\nfermeture",
            "sample_rate": 20,
            "review_hours": 2,
            "on_silence": "escalate",
        },
    )
    return space


def _strategy(space: Space, admin: User) -> tuple[list[Audience], dict[str, Channel]]:
    for position, (text, line) in enumerate(GOALS):
        Goal.objects.update_or_create(
            space=space, text=text, defaults={"strategy_line": line, "position": position}
        )
    audiences = []
    for position, (name, who, cares, where, size, messages) in enumerate(AUDIENCES):
        audience, _created = Audience.objects.update_or_create(
            space=space,
            name=name,
            defaults={
                "who": who,
                "cares_about": cares,
                "where_online": where,
                "rough_size": size,
                "position": position,
            },
        )
        for number, text in enumerate(messages):
            KeyMessage.objects.update_or_create(
                space=space, audience=audience, text=text, defaults={"position": number}
            )
        audiences.append(audience)
    families, naturalists, teachers = audiences
    channels = {}
    for name, kind, target, length, base_url, account, served in (
        ("Pages du muséum", "site", 6, 5000, "", "", audiences),
        ("Mastodon du muséum", "mastodon", 4, 500, "https://mastodon.example", "@museevilaine",
         [naturalists, teachers]),
        ("Bluesky du muséum", "bluesky", 3, 300, "https://bsky.social", "museevilaine.example",
         [families]),
    ):  # fmt: skip
        channel, _created = Channel.objects.update_or_create(
            space=space,
            name=name,
            defaults={
                "kind": kind,
                "target_per_week": target,
                "max_length": length,
                "base_url": base_url,
                "account": account,
            },
        )
        channel.audiences.set(served)
        channels[name] = channel
    if not space.versions.exists():
        changes = [
            (-40, "Espace ouvert"),
            (-35, "Publics : familles, passionnés, enseignants"),
            (-30, "Messages clés et charte"),
            (-25, "Canaux : nos pages, Mastodon, Bluesky"),
        ]
        for number, (day, change) in enumerate(changes, start=1):
            StrategyVersion.objects.create(
                space=space,
                number=number,
                snapshot=snapshot(space),
                change=change,
                created_by=admin,
                created_at=_at(day, 11),
            )
    return audiences, channels


def _record(post: Post, *, action: str, state: str, created: datetime, resolved: datetime | None,
            by: User | None, note: str = "") -> None:  # fmt: skip
    ReviewRecord.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Post),
        object_id=post.pk,
        defaults={
            "kind": "post",
            "author": post.author,
            "action": action,
            "reasons": post.review_reasons,
            "state": state,
            "created_at": created,
            "resolved_at": resolved,
            "resolved_by": by,
            "resolution_note": note,
        },
    )


def _posts(space: Space, voices: dict[str, Voice], audiences: list[Audience],
           channels: dict[str, Channel], reviewer: User, editor: User) -> int:  # fmt: skip
    version = space.versions.order_by("-number").first()
    for (
        day,
        hour,
        key,
        tone,
        audience_index,
        message_index,
        tags,
        chosen,
        engagement,
        review,
        text,
    ) in POSTS:
        voice = voices[key]
        audience = audiences[audience_index]
        message = list(audience.messages.order_by("position"))[message_index]
        when = _at(day, hour)
        submitted = when - timedelta(minutes=5)
        decided: datetime | None
        state, action, reasons, decided, note = (
            "published",
            "publish_then_sample",
            ["trusted_author", "within_expertise"],
            submitted,
            "",
        )
        published: datetime | None = when
        deadline = None
        escalated = None
        if review.startswith("held:"):
            waited = int(review.split(":")[1])
            submitted = when - timedelta(minutes=waited)
            decided = when
            action = "hold"
            untrained = voice.training_done_at is None or voice.training_done_at > when
            reasons = (
                ["training_not_done", "within_expertise"] if untrained else ["outside_expertise"]
            )
        elif review == "rejected":
            state, action, reasons, published = (
                "rejected",
                "hold",
                ["watch_word", "within_expertise"],
                None,
            )
            decided = submitted + timedelta(minutes=35)
            note = (
                "Attendons l’annonce officielle de la direction : je te préviens dès qu’elle sort."
            )
        elif review == "waiting":
            state, action, reasons, published, decided = (
                "held",
                "hold",
                ["outside_expertise"],
                None,
                None,
            )
            deadline = submitted + timedelta(hours=2)
            escalated = deadline + timedelta(minutes=5)
        post, _created = Post.objects.update_or_create(
            space=space,
            voice=voice,
            scheduled_for=when,
            defaults={
                "author": voice.user,
                "text": text,
                "audience": audience,
                "key_message": message,
                "tone": tone,
                "state": state,
                "strategy_version": version,
                "submitted_at": submitted,
                "review_action": action,
                "review_reasons": reasons,
                "review_deadline": deadline,
                "escalated_at": escalated,
                "decided_at": decided,
                "decision_note": note,
                "published_at": published,
                "created_at": submitted - timedelta(minutes=20),
            },
        )
        post.tags.set(tags_for(tags))
        wanted = [channels[CHANNEL_KEYS[letter]] for letter in chosen]
        post.deliveries.exclude(channel__in=wanted).delete()
        for channel in wanted:
            replies, reposts, favourites = engagement if channel.kind != "site" else (0, 0, 0)
            Delivery.objects.update_or_create(
                post=post,
                channel=channel,
                defaults={
                    "state": "published" if published else "pending",
                    "published_at": published,
                    "attempts": 1 if published else 0,
                    "remote_id": f"demo-{post.pk}-{channel.kind}" if published else "",
                    "replies": replies,
                    "reposts": reposts,
                    "favourites": favourites,
                    "engagement_fetched_at": published + timedelta(days=2) if published else None,
                },
            )
        if review == "direct":
            _record(
                post,
                action=action,
                state="auto_published",
                created=submitted,
                resolved=None,
                by=None,
            )
        elif review == "sampled":
            _record(post, action=action, state="approved", created=submitted,
                    resolved=when + timedelta(hours=3), by=reviewer,
                    note="Très bien : c’est exactement le ton qui plaît.")  # fmt: skip
            post.decision_note = "Très bien : c’est exactement le ton qui plaît."
            post.save(update_fields=["decision_note"])
        elif review.startswith("held:"):
            _record(
                post, action="hold", state="approved", created=submitted, resolved=when, by=editor
            )
        elif review == "rejected":
            _record(post, action="hold", state="rejected", created=submitted, resolved=decided,
                    by=editor, note=note)  # fmt: skip
        else:
            _record(post, action="hold", state="pending", created=submitted, resolved=None, by=None)
    return len(POSTS)


def _reactions(space: Space) -> None:
    readers = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("pk")[:12])
    for index, post in enumerate(space.posts.filter(state="published").order_by("published_at")):
        for reader in readers[: (index * 7) % 5]:
            Reaction.objects.get_or_create(
                post=post, user=reader, defaults={"created_at": post.published_at}
            )


def load_voices() -> str | None:
    institution = Institution.objects.filter(slug="musee-vilaine").first()
    if institution is None:
        institution = Institution.objects.create(
            name="Musée de la Vilaine",
            slug="musee-vilaine",
            kind=InstitutionKind.MUSEUM,
            city="Rennes",
        )
    space = _space(institution)
    users = {person.local: _user(person, institution) for person in PEOPLE}
    for person in PEOPLE:
        Membership.objects.update_or_create(
            space=space, user=users[person.local], defaults={"role": person.role}
        )
    audiences, channels = _strategy(space, users["mathieu.quere"])
    voices: dict[str, Voice] = {}
    for person in PEOPLE:
        if person.role != "voice":
            continue
        voice, _created = Voice.objects.update_or_create(
            space=space,
            user=users[person.local],
            defaults={
                "title": person.title,
                "bio": person.bio,
                "charter_accepted_at": _at(-22, 10),
                "charter_revision_accepted": 2,
                "training_done_at": _at(person.trained_on, 16)
                if person.trained_on is not None
                else None,
            },
        )
        voice.expertise.set(tags_for(person.expertise))
        voice.channels.set(list(channels.values()))
        key = person.local.split(".")[0]
        voices[key] = voice
    count = _posts(space, voices, audiences, channels, users["gael.rolland"], users["anne.quintin"])
    _reactions(space)
    return _("%(space)s: %(voices)d voices, %(audiences)d audiences, %(posts)d posts") % {
        "space": space.name,
        "voices": len(voices),
        "audiences": len(audiences),
        "posts": count,
    }


register_demo_loader("voices", load_voices, order=60)
