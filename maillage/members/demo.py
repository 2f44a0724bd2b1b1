"""Demo data for members: the Doc@Rennes collective as it stood around its first workshop.

Drawn from the facts of the seed (a collective formed in early 2014 in Rennes; a first workshop
on 26 March 2014 with 15 people: librarians, documentalists, a communication student, people
from culture and the web; a facilitator; a coordinator who wrote the report). The people, their
institutions and their words are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.demo import register_demo_loader
from maillage.core.models import Tag
from maillage.core.tags import tag_slug
from maillage.core.visibility import Visibility
from maillage.members.models import (
    Institution,
    InstitutionKind,
    Profession,
    ProfileLink,
    Role,
    User,
)

# Printed by `maillage demo` and in the README: every demo account shares it.
DEMO_PASSWORD = "demo-maillage-2014"  # noqa: S105 - public on purpose
DEMO_EMAIL_DOMAIN = "docarennes.example"
COORDINATOR_EMAIL = f"claire.morvan@{DEMO_EMAIL_DOMAIN}"
FACILITATOR_EMAIL = f"mathieu.quere@{DEMO_EMAIL_DOMAIN}"
MEMBER_EMAIL = f"sophie.lebihan@{DEMO_EMAIL_DOMAIN}"
FIRST_WORKSHOP_DATE = "2014-03-26"

# The logins `maillage demo` prints, with what each shows.
DEMO_LOGINS = [
    (COORDINATOR_EMAIL, gettext_lazy("coordinator (administration pages)")),
    (FACILITATOR_EMAIL, gettext_lazy("facilitator of the first workshop")),
    (MEMBER_EMAIL, gettext_lazy("member (librarian)")),
]

_PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class DemoInstitution:
    key: str
    name: str
    kind: str
    city: str = "Rennes"

    @property
    def slug(self) -> str:
        return tag_slug(self.name)

    @property
    def website(self) -> str:
        return f"https://{self.key}.example/"


@dataclass(frozen=True)
class DemoMember:
    email_local_part: str
    display_name: str
    profession: str
    institution: str | None
    expertise: tuple[str, ...]
    bio: str
    joined: tuple[int, int, int]
    trust_level: int = 1
    role: str = Role.MEMBER
    at_first_workshop: bool = True
    # Field visibilities that differ from the model's defaults ({"bio": Visibility.PUBLIC}).
    visibility: dict[str, str] = field(default_factory=dict)
    links: tuple[tuple[str, str], ...] = ()

    @property
    def email(self) -> str:
        return f"{self.email_local_part}@{DEMO_EMAIL_DOMAIN}"


INSTITUTIONS = [
    DemoInstitution("bu-lices", "BU du campus des Lices", InstitutionKind.UNIVERSITY_LIBRARY),
    DemoInstitution(
        "canopee", "Médiathèque La Canopée", InstitutionKind.MEDIA_LIBRARY, "Cesson-Sévigné"
    ),
    DemoInstitution(
        "bib-maurepas", "Bibliothèque de quartier de Maurepas", InstitutionKind.LIBRARY
    ),
    DemoInstitution("musee-vilaine", "Musée de la Vilaine", InstitutionKind.MUSEUM),
    DemoInstitution("archives", "Archives municipales", InstitutionKind.ARCHIVES),
    DemoInstitution("lycee-gayeulles", "Lycée des Gayeulles", InstitutionKind.SCHOOL),
    DemoInstitution("college-prevalaye", "Collège de la Prévalaye", InstitutionKind.SCHOOL),
    DemoInstitution("oeil-vif", "L’Œil vif, galerie associative", InstitutionKind.ASSOCIATION),
    DemoInstitution(
        "cdoc-sante",
        "Centre de documentation en santé publique",
        InstitutionKind.DOCUMENTATION_CENTRE,
    ),
    DemoInstitution("pixel-et-lin", "Pixel & Lin, coopérative web", InstitutionKind.OTHER),
]

MEMBERS = [
    DemoMember(
        "claire.morvan",
        "Claire Morvan",
        Profession.DOCUMENTALIST,
        "cdoc-sante",
        ("veille", "animation de réseau", "réseaux sociaux", "compte-rendu"),
        "Documentaliste dans un centre de documentation en santé publique. J’ai lancé "
        "Doc@Rennes avec quelques collègues au début de 2014, pour que les gens de la doc, "
        "de la culture et de l’éducation se croisent ailleurs qu’en formation officielle. "
        "Je tiens la liste de diffusion et j’écris les comptes-rendus des ateliers.",
        (2014, 1, 9),
        trust_level=4,
        role=Role.COORDINATOR,
        visibility={"bio": Visibility.PUBLIC, "email": Visibility.PUBLIC},
        links=(("Doc@Rennes", "https://docarennes.example/"),),
    ),
    DemoMember(
        "mathieu.quere",
        "Mathieu Quéré",
        Profession.COMMUNICATION_WEB,
        "musee-vilaine",
        ("réseaux sociaux", "stratégie numérique", "médiation numérique", "Twitter"),
        "Chargé des publics en ligne au Musée de la Vilaine. Il a animé le premier atelier du "
        "réseau sur les réticences des institutions face aux réseaux sociaux. Il plaide pour "
        "un musée qui parle avec plusieurs voix, celles des agents qui connaissent le mieux "
        "leurs collections, plutôt qu’avec un seul compte officiel.",
        (2014, 1, 20),
        trust_level=3,
        visibility={"bio": Visibility.PUBLIC, "links": Visibility.PUBLIC},
        links=(("Son carnet en ligne", "https://mathieu-quere.example/"),),
    ),
    DemoMember(
        "sophie.lebihan",
        "Sophie Le Bihan",
        Profession.LIBRARIAN,
        "bu-lices",
        ("blog", "formation des usagers", "veille", "WordPress"),
        "Bibliothécaire à la BU. Elle co-anime le blog de la bibliothèque, où l’équipe "
        "présente ses coups de cœur, ses expositions et les coulisses du service.",
        (2014, 1, 20),
        trust_level=2,
        visibility={"bio": Visibility.PUBLIC},
        links=(("Le blog de la BU", "https://blog.bu-lices.example/"),),
    ),
    DemoMember(
        "julien.tanguy",
        "Julien Tanguy",
        Profession.LIBRARIAN,
        "canopee",
        ("Facebook", "jeux vidéo", "animation"),
        "Responsable de l’espace multimédia de la médiathèque. Il cherche encore le bon rythme "
        "pour la page Facebook et aimerait savoir comment font les autres.",
        (2014, 2, 3),
    ),
    DemoMember(
        "nolwenn.guillou",
        "Nolwenn Guillou",
        Profession.DOCUMENTALIST,
        "lycee-gayeulles",
        ("Facebook", "éducation aux médias", "médiation numérique"),
        "Professeure documentaliste. Elle a ouvert la page Facebook du CDI malgré les réserves "
        "de sa direction. Deux ans plus tard, c’est par là que passent les nouvelles du CDI "
        "que les élèves lisent vraiment.",
        (2014, 2, 3),
        trust_level=2,
        visibility={"bio": Visibility.PUBLIC},
    ),
    DemoMember(
        "camille.rault",
        "Camille Rault",
        Profession.STUDENT,
        "oeil-vif",
        ("blog", "communication", "photographie"),
        "Étudiante en communication. Pendant son stage, elle a créé le blog d’une galerie "
        "associative : accueilli d’abord avec prudence, il est aujourd’hui tenu par toute "
        "l’équipe.",
        (2014, 3, 10),
        visibility={"institution": Visibility.MEMBERS},
    ),
    DemoMember(
        "helene.jaouen",
        "Hélène Jaouen",
        Profession.ARCHIVIST,
        "archives",
        ("archives", "numérisation", "Flickr", "licences libres"),
        "Archiviste. Elle voudrait diffuser sous licence libre les fonds photographiques déjà "
        "numérisés et cherche des services d’archives qui l’ont fait avant elle.",
        (2014, 2, 11),
        trust_level=2,
    ),
    DemoMember(
        "thomas.berthelot",
        "Thomas Berthelot",
        Profession.CULTURAL_MEDIATION,
        "musee-vilaine",
        ("médiation culturelle", "publics", "visites"),
        "Médiateur au musée. Il raconte les collections pendant les visites et commence à le "
        "faire en ligne aussi, en quelques phrases et une photo.",
        (2014, 2, 11),
    ),
    DemoMember(
        "anne-laure.kervella",
        "Anne-Laure Kervella",
        Profession.LIBRARIAN,
        "bib-maurepas",
        ("veille", "signets partagés", "Delicious"),
        "Bibliothécaire de quartier. Sa veille a longtemps tenu dans un tableur, jusqu’au jour "
        "où un collègue lui a montré les signets partagés. Elle ne reviendrait pas en arrière.",
        (2014, 2, 17),
        visibility={"bio": Visibility.PUBLIC},
    ),
    DemoMember(
        "karim.benali",
        "Karim Benali",
        Profession.COMMUNICATION_WEB,
        "pixel-et-lin",
        ("web", "accessibilité", "WordPress", "logiciels libres"),
        "Développeur dans une coopérative qui fait des sites pour des structures culturelles. "
        "Il s’intéresse à l’accessibilité et aux outils libres.",
        (2014, 2, 17),
        trust_level=3,
        visibility={"bio": Visibility.PUBLIC, "email": Visibility.MEMBERS},
    ),
    DemoMember(
        "elodie.marchand",
        "Élodie Marchand",
        Profession.DOCUMENTALIST,
        "cdoc-sante",
        ("veille", "RSS", "bases de données"),
        "Documentaliste. Elle prépare chaque semaine une revue de presse pour ses collègues et "
        "essaie un à un les lecteurs de flux RSS.",
        (2014, 1, 9),
        trust_level=2,
    ),
    DemoMember(
        "ines.ferreira",
        "Inès Ferreira",
        Profession.CULTURAL_MEDIATION,
        "oeil-vif",
        ("art contemporain", "médiation culturelle", "Instagram"),
        "Médiatrice à la galerie. Elle organise les vernissages et voudrait que les visiteurs "
        "reviennent entre deux expositions.",
        (2014, 3, 10),
    ),
    DemoMember(
        "marie.lemoine",
        "Marie Lemoine",
        Profession.LIBRARIAN,
        "canopee",
        ("photographie", "Flickr", "licences libres", "Creative Commons"),
        "Bibliothécaire et photographe du dimanche. Elle publie ses photos sous licence "
        "Creative Commons et a convaincu la médiathèque d’en faire autant pour ses animations.",
        (2014, 2, 24),
        trust_level=2,
        visibility={"bio": Visibility.PUBLIC},
    ),
    DemoMember(
        "bastien.coquelin",
        "Bastien Coquelin",
        Profession.COMMUNICATION_WEB,
        None,
        ("community management", "Facebook", "Twitter"),
        "Community manager indépendant. Il partage volontiers ce qu’il a appris sur les pages "
        "d’institutions, du rythme des publications au ton à adopter.",
        (2014, 3, 3),
        trust_level=2,
    ),
    DemoMember(
        "vincent.lhermitte",
        "Vincent Lhermitte",
        Profession.ARCHIVIST,
        "archives",
        ("archives", "conservation", "devoir de réserve"),
        "Archiviste, plutôt sceptique. Il se demande comment concilier le devoir de réserve et "
        "une présence sur les réseaux sociaux, et il est venu poser la question.",
        (2014, 3, 17),
        trust_level=0,
        visibility={"profession": Visibility.MEMBERS, "bio": Visibility.PRIVATE},
    ),
    # Joined after the first workshop.
    DemoMember(
        "pierre-yves.ledu",
        "Pierre-Yves Le Du",
        Profession.TEACHER,
        "college-prevalaye",
        ("éducation aux médias", "blog", "pédagogie"),
        "Professeur de lettres. Ses élèves de quatrième tiennent un blog de lectures, relu en "
        "classe avant chaque publication.",
        (2014, 4, 7),
        at_first_workshop=False,
    ),
    DemoMember(
        "gaelle.riou",
        "Gaëlle Riou",
        Profession.LIBRARIAN,
        "bu-lices",
        ("formation des usagers", "Zotero", "licences libres"),
        "Bibliothécaire formatrice. Elle initie les étudiants à la recherche documentaire et "
        "aux outils de gestion bibliographique.",
        (2014, 4, 7),
        trust_level=2,
        at_first_workshop=False,
    ),
    DemoMember(
        "fatou.diallo",
        "Fatou Diallo",
        Profession.DOCUMENTALIST,
        "college-prevalaye",
        ("éducation aux médias", "veille"),
        "Professeure documentaliste, arrivée à Rennes à la rentrée 2013. Elle découvre le "
        "réseau et cherche des idées d’ateliers numériques pour ses élèves.",
        (2014, 4, 14),
        trust_level=0,
        at_first_workshop=False,
        visibility={"expertise": Visibility.MEMBERS},
    ),
    DemoMember(
        "erwan.piriou",
        "Erwan Piriou",
        Profession.OTHER,
        None,
        ("patrimoine", "Wikipédia", "bénévolat"),
        "Bénévole dans une association d’histoire locale. Il écrit sur Wikipédia à propos du "
        "patrimoine rennais et cherche des archives à citer.",
        (2014, 4, 22),
        trust_level=0,
        at_first_workshop=False,
        visibility={"profession": Visibility.MEMBERS, "expertise": Visibility.MEMBERS},
    ),
    DemoMember(
        "lucie.hamon",
        "Lucie Hamon",
        Profession.CULTURAL_MEDIATION,
        "archives",
        ("médiation numérique", "ateliers", "patrimoine"),
        "Médiatrice aux archives. Elle prépare des ateliers pour les classes et rêve d’une "
        "exposition en ligne.",
        (2014, 5, 5),
        at_first_workshop=False,
    ),
]

# For the events app's demo loader: who came to the workshop of 26 March 2014.
FIRST_WORKSHOP_PARTICIPANTS = [member.email for member in MEMBERS if member.at_first_workshop]

_VISIBILITY_FIELDS = ("profession", "institution", "expertise", "bio", "avatar", "links", "email")


def demo_members() -> dict[str, User]:
    """The demo's members already loaded, by the local part of their address ("claire.morvan"):
    how the other apps' demos say who wrote, keeps or follows what."""
    emails = {member.email_local_part: member.email for member in MEMBERS}
    users = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    return {local: users[email] for local, email in emails.items() if email in users}


def _profile_fields(member: DemoMember, institution: Institution | None) -> dict[str, object]:
    joined = datetime(*member.joined, 18, 30, tzinfo=_PARIS)
    coordinator = member.role == Role.COORDINATOR
    fields: dict[str, object] = {
        "display_name": member.display_name,
        "profession": member.profession,
        "institution": institution,
        "bio": member.bio,
        "role": member.role,
        "trust_level": member.trust_level,
        "is_active": True,
        "is_staff": coordinator,
        "is_superuser": coordinator,
        "date_joined": joined,
        "email_confirmed_at": joined,
    }
    defaults = User()
    for name in _VISIBILITY_FIELDS:
        default = getattr(defaults, f"{name}_visibility")
        fields[f"{name}_visibility"] = member.visibility.get(name, default)
    return fields


def load_members() -> str:
    institutions: dict[str, Institution] = {}
    for data in INSTITUTIONS:
        institutions[data.key], _created = Institution.objects.update_or_create(
            slug=data.slug,
            defaults={
                "name": data.name,
                "kind": data.kind,
                "city": data.city,
                "website": data.website,
            },
        )

    existing = set(
        User.objects.filter(email__in=[member.email for member in MEMBERS]).values_list(
            "email", flat=True
        )
    )
    # Hashing is slow on purpose: hash the shared password once, and only for new accounts, so
    # that a second load leaves passwords (perhaps changed since) alone.
    password_hash = make_password(DEMO_PASSWORD) if len(existing) < len(MEMBERS) else ""
    for member in MEMBERS:
        institution = institutions[member.institution] if member.institution else None
        profile = _profile_fields(member, institution)
        user, _created = User.objects.update_or_create(
            email=member.email,
            defaults=profile,
            create_defaults={**profile, "password": password_hash},
        )
        user.expertise.set(Tag.objects.for_names(member.expertise))
        for position, (title, url) in enumerate(member.links):
            ProfileLink.objects.update_or_create(
                user=user, url=url, defaults={"title": title, "position": position}
            )
    return _("%(institutions)d institutions, %(members)d members") % {
        "institutions": len(INSTITUTIONS),
        "members": len(MEMBERS),
    }


register_demo_loader("members", load_members, order=10)
