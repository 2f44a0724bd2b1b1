"""Demo data for the showcase: the two projects the seed cites — a museum's talking skeletons on
social networks, a university library's blog — and a handful more across kinds and audiences,
each with some evidence.

The seed names the projects (and the stories of an intern's gallery blog and a documentalist's
Facebook page); everything else is ours: the descriptions are written in our words, and every
figure, quote and press title is invented for the demonstration and marked as such (`is_demo`).
Loading twice changes nothing: rows are found again by their natural keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.demo import register_demo_loader
from maillage.core.models import Tag
from maillage.events.demo import PARIS
from maillage.members import demo as members_demo
from maillage.members.models import Institution, InstitutionKind, User
from maillage.showcase.models import (
    Evidence,
    Platform,
    Project,
    ProjectAudience,
    ProjectLink,
    ReviewState,
)


@dataclass(frozen=True)
class DemoEvidence:
    kind: str
    when: date
    title: str = ""
    quote: str = ""
    publication: str = ""
    author_name: str = ""
    source_url: str = ""
    metric: str = ""
    value: int | None = None
    unit: str = ""
    period: str = ""
    highlighted: bool = False


def figures(metric: str, unit: str, *values: tuple[date, int, str]) -> list[DemoEvidence]:
    return [
        DemoEvidence("figure", when, metric=metric, value=value, unit=unit, period=period)
        for when, value, period in values
    ]


@dataclass(frozen=True)
class DemoProject:
    slug: str
    name: str
    summary: str
    kind: str
    institution: tuple[str, str, str]  # name, kind, city
    region: str
    proposer: str  # a demo member's email local part
    started_on: date
    platforms: str
    audiences: tuple[str, ...]
    tags: str
    description: str
    obstacles: str
    lessons: str
    url: str
    ended_on: date | None = None
    status: str = "running"
    team_size: int | None = None
    budget_band: str = "none"
    accessibility: str = "not_assessed"
    content_licence: str = ""
    visibility: str = "public"
    links: tuple[tuple[str, str], ...] = ()
    evidence: list[DemoEvidence] = field(default_factory=list)


PROJECTS = [
    DemoProject(
        slug="les-squelettes-qui-parlent",
        name="Les squelettes qui parlent",
        summary="Les squelettes d’un muséum d’histoire naturelle prennent la parole sur les "
        "réseaux sociaux, à la première personne et avec humour.",
        kind="social_media",
        institution=("Muséum de Toulouse", InstitutionKind.MUSEUM, "Toulouse"),
        region="occ",
        proposer="mathieu.quere",
        started_on=date(2012, 10, 1),
        platforms="Facebook, Twitter",
        audiences=("general_public", "children", "distant_visitors"),
        tags="muséum, humour, réseaux sociaux, médiation numérique",
        description="Plutôt qu’un compte institutionnel qui annonce les horaires, ce sont les "
        "squelettes des collections qui parlent : le mammouth raconte sa traversée des âges, "
        "le dodo se plaint d’être éteint. Chaque billet part d’un objet réel et renvoie vers "
        "la salle où le voir.\n\nL’équipe de médiation écrit à plusieurs mains ; chacun parle "
        "de ce qu’il connaît le mieux.",
        obstacles="**La peur de perdre le contrôle** : la direction craignait le ton léger. "
        "Une charte d’une page et trois mois d’essai ont suffi à la rassurer.\n\n"
        "**Le temps** : une heure par semaine et par agent, inscrite dans les fiches de poste.",
        lessons="Laisser parler les agents plutôt que l’institution ; partir des collections ; "
        "répondre à chaque commentaire, même tard.",
        url="https://squelettes.museum-toulouse.example/",
        team_size=4,
        accessibility="partial",
        content_licence="CC-BY-SA-4.0",
        links=(("Le compte Twitter", "https://twitter.example/squelettes"),),
        evidence=[
            *figures(
                "Abonnés Facebook",
                "",
                (date(2012, 12, 31), 420, "décembre 2012"),
                (date(2013, 6, 30), 1350, "juin 2013"),
                (date(2013, 12, 31), 2480, "décembre 2013"),
                (date(2014, 3, 31), 3120, "mars 2014"),
            ),
            DemoEvidence(
                "testimonial",
                date(2013, 11, 14),
                quote="Mes enfants réclament le squelette du jour avant d’aller à l’école. "
                "Nous sommes venus au muséum pour rencontrer le mammouth en vrai.",
                author_name="Une mère de famille",
                publication="Commentaire Facebook",
                highlighted=True,
            ),
            DemoEvidence(
                "press",
                date(2013, 4, 9),
                title="Au muséum, les squelettes se sont mis à parler",
                publication="La Gazette du Sud-Ouest",
                source_url="https://gazette-sud-ouest.example/squelettes-qui-parlent",
                quote="Une façon inattendue de faire entrer le public dans les réserves.",
            ),
            DemoEvidence(
                "award",
                date(2014, 1, 23),
                title="Prix de la médiation numérique 2013",
                publication="Rencontres des musées en ligne",
                quote="Récompensé pour son ton et sa fidélité aux collections.",
            ),
        ],
    ),
    DemoProject(
        slug="le-blog-de-la-bu-rennes-2",
        name="Le blog de la BU Rennes 2",
        summary="Le blog d’une bibliothèque universitaire : coups de cœur, expositions, "
        "coulisses du service et conseils de recherche, écrits par l’équipe.",
        kind="blog",
        institution=("BU Rennes 2", InstitutionKind.UNIVERSITY_LIBRARY, "Rennes"),
        region="bre",
        proposer="sophie.lebihan",
        started_on=date(2011, 9, 15),
        platforms="WordPress, Twitter",
        audiences=("students", "researchers", "teachers"),
        tags="blog, bibliothèque universitaire, formation des usagers",
        description="Deux billets par semaine, écrits par une dizaine de collègues de tous "
        "les services. Les étudiants y trouvent les nouveautés, les expositions du hall et "
        "des tutoriels pour leurs recherches.",
        obstacles="« Ce n’est pas notre métier » : le blog a commencé comme un carnet de "
        "l’équipe, puis les chiffres de fréquentation ont convaincu.",
        lessons="Un calendrier éditorial partagé ; des billets courts ; un relecteur par billet, "
        "pas plus.",
        url="https://blog.bu-rennes2.example/",
        team_size=10,
        accessibility="partial",
        content_licence="CC-BY-4.0",
        evidence=[
            *figures(
                "Visites mensuelles du blog",
                "visites",
                (date(2012, 3, 31), 2100, "mars 2012"),
                (date(2012, 10, 31), 3400, "octobre 2012"),
                (date(2013, 3, 31), 4800, "mars 2013"),
                (date(2013, 10, 31), 5900, "octobre 2013"),
                (date(2014, 3, 31), 6700, "mars 2014"),
            ),
            DemoEvidence(
                "testimonial",
                date(2013, 5, 6),
                quote="Le tutoriel sur Zotero m’a fait gagner une semaine pour mon mémoire.",
                author_name="Un étudiant de master",
                publication="Commentaire sur le blog",
                highlighted=True,
            ),
            DemoEvidence(
                "mention",
                date(2014, 2, 18),
                title="Cinq blogs de bibliothèques à suivre",
                publication="Le carnet d’une bibliothécaire",
                source_url="https://carnet-bibliothecaire.example/cinq-blogs",
                quote="Un modèle de blog d’équipe, vivant et utile.",
            ),
        ],
    ),
    DemoProject(
        slug="le-blog-de-l-oeil-vif",
        name="Le blog de L’Œil vif",
        summary="Né d’un stage, le blog d’une galerie associative montre les artistes au "
        "travail et les coulisses des accrochages.",
        kind="blog",
        institution=("L’Œil vif, galerie associative", InstitutionKind.ASSOCIATION, "Rennes"),
        region="bre",
        proposer="camille.rault",
        started_on=date(2013, 4, 2),
        platforms="WordPress, Instagram",
        audiences=("local_residents", "general_public"),
        tags="blog, art contemporain, stage",
        description="Une stagiaire en communication a ouvert le blog pendant son stage ; "
        "toute l’équipe l’écrit aujourd’hui.",
        obstacles="Accueilli avec prudence : « et si personne ne le lit ? ». Les premières "
        "visites venues du blog ont répondu.",
        lessons="Prendre l’initiative, montrer les premiers résultats, passer le relais.",
        url="https://oeil-vif.example/blog/",
        team_size=3,
        evidence=[
            *figures(
                "Visiteurs venus par le blog",
                "personnes",
                (date(2013, 6, 30), 35, "juin 2013"),
                (date(2013, 12, 31), 110, "décembre 2013"),
            ),
            DemoEvidence(
                "testimonial",
                date(2013, 9, 20),
                quote="J’ai poussé la porte de la galerie après avoir lu le billet sur "
                "l’accrochage.",
                author_name="Une visiteuse",
            ),
        ],
    ),
    DemoProject(
        slug="la-page-facebook-de-la-canopee",
        name="La page Facebook de la Canopée",
        summary="La page Facebook d’une médiathèque, créée par une documentaliste avant "
        "d’être adoptée par l’établissement.",
        kind="social_media",
        institution=("Médiathèque La Canopée", InstitutionKind.MEDIA_LIBRARY, "Cesson-Sévigné"),
        region="bre",
        proposer="julien.tanguy",
        started_on=date(2012, 1, 10),
        platforms="Facebook",
        audiences=("local_residents", "teenagers", "general_public"),
        tags="Facebook, médiathèque, animation",
        description="Annonces d’animations, coups de cœur, photos des ateliers jeux vidéo.",
        obstacles="Refusée au début, la page a été tenue hors du site officiel pendant six "
        "mois ; ses chiffres l’ont fait adopter.",
        lessons="Un rythme tenable (trois publications par semaine) vaut mieux qu’un pic.",
        url="https://facebook.example/lacanopee",
        team_size=2,
        evidence=figures(
            "Abonnés Facebook",
            "",
            (date(2012, 6, 30), 180, "juin 2012"),
            (date(2013, 6, 30), 540, "juin 2013"),
            (date(2014, 3, 31), 860, "mars 2014"),
        ),
    ),
    DemoProject(
        slug="photographies-des-archives-sous-licence-libre",
        name="Photographies des Archives sous licence libre",
        summary="Les fonds photographiques numérisés des Archives municipales versés sur "
        "Wikimedia Commons, sous licence libre.",
        kind="open_collections",
        institution=("Archives municipales", InstitutionKind.ARCHIVES, "Rennes"),
        region="bre",
        proposer="helene.jaouen",
        started_on=date(2013, 5, 1),
        ended_on=date(2014, 2, 28),
        status="ended",
        platforms="Wikimedia Commons, Flickr",
        audiences=("researchers", "general_public"),
        tags="archives, licences libres, Creative Commons, Wikimédia",
        description="Un premier lot de 1 200 photographies de la ville, versé avec les "
        "bénévoles de Wikimédia France.",
        obstacles="Les droits : seules les photographies dont les droits étaient éteints ou "
        "cédés ont été versées.",
        lessons="Commencer par un lot dont les droits sont clairs ; documenter chaque image.",
        url="https://commons.example/archives-municipales",
        budget_band="under_1k",
        content_licence="CC-BY-SA-4.0",
        evidence=[
            *figures(
                "Images utilisées dans Wikipédia",
                "images",
                (date(2013, 9, 30), 85, "septembre 2013"),
                (date(2014, 2, 28), 310, "février 2014"),
            ),
            DemoEvidence(
                "press",
                date(2014, 3, 4),
                title="Les archives ouvrent leurs albums à tous",
                publication="Le Journal de la ville",
                source_url="https://journal-ville.example/archives-albums",
            ),
        ],
    ),
    DemoProject(
        slug="les-voix-du-musee",
        name="Les voix du musée",
        summary="Un podcast où les agents du musée racontent un objet des collections en "
        "cinq minutes.",
        kind="podcast",
        institution=("Musée de la Vilaine", InstitutionKind.MUSEUM, "Rennes"),
        region="bre",
        proposer="thomas.berthelot",
        started_on=date(2013, 10, 1),
        platforms="SoundCloud",
        audiences=("children", "general_public"),
        tags="podcast, musée, médiation",
        description="Un épisode par mois, enregistré dans les salles.",
        obstacles="Le matériel : un enregistreur prêté par la médiathèque voisine.",
        lessons="Cinq minutes, pas plus ; une voix, un objet.",
        url="https://soundcloud.example/voix-du-musee",
        visibility="members",
        evidence=figures(
            "Écoutes par épisode",
            "écoutes",
            (date(2013, 11, 30), 90, "novembre 2013"),
            (date(2014, 3, 31), 240, "mars 2014"),
        ),
    ),
    DemoProject(
        slug="wikipedia-au-lycee",
        name="Wikipédia au lycée",
        summary="Des élèves de seconde écrivent et améliorent des articles de Wikipédia sur "
        "le patrimoine de leur quartier, avec le CDI.",
        kind="wiki",
        institution=("Lycée des Gayeulles", InstitutionKind.SCHOOL, "Rennes"),
        region="bre",
        proposer="claire.morvan",
        started_on=date(2013, 1, 7),
        platforms="Wikipédia",
        audiences=("teenagers", "teachers"),
        tags="Wikipédia, éducation aux médias, CDI",
        description="Un atelier par semaine au CDI pendant un trimestre.",
        obstacles="« Wikipédia n’est pas fiable » : c’est justement ce que les élèves "
        "apprennent à vérifier.",
        lessons="Citer ses sources s’apprend mieux en écrivant qu’en lisant.",
        url="https://wikipedia.example/Projet:Lycee_des_Gayeulles",
        status="ended",
        ended_on=date(2013, 4, 5),
        evidence=[
            DemoEvidence(
                "figure",
                date(2013, 4, 5),
                metric="Articles créés ou enrichis",
                value=14,
                unit="articles",
                period="2013",
            ),
            DemoEvidence(
                "testimonial",
                date(2013, 4, 5),
                quote="Je ne lirai plus jamais un article sans regarder ses sources.",
                author_name="Une élève de seconde",
                highlighted=True,
            ),
        ],
    ),
]


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=PARIS)


def _institution(name: str, kind: str, city: str) -> Institution:
    found = Institution.objects.filter(name=name).order_by("pk").first()
    if found is not None:
        return found
    return Institution.objects.create(name=name, kind=kind, city=city)


def _load_project(data: DemoProject) -> Project:
    proposer = User.objects.filter(
        email=f"{data.proposer}@{members_demo.DEMO_EMAIL_DOMAIN}"
    ).first()
    project, _created = Project.objects.update_or_create(
        slug=data.slug,
        defaults={
            "name": data.name,
            "summary": data.summary,
            "description": data.description,
            "kind": data.kind,
            "institution": _institution(*data.institution),
            "region": data.region,
            "started_on": data.started_on,
            "ended_on": data.ended_on,
            "status": data.status,
            "url": data.url,
            "team_size": data.team_size,
            "budget_band": data.budget_band,
            "obstacles": data.obstacles,
            "lessons": data.lessons,
            "accessibility": data.accessibility,
            "content_licence": data.content_licence,
            "visibility": data.visibility,
            "review_state": ReviewState.PUBLISHED,
            "published_at": _at_noon(data.started_on),
            "proposed_by": proposer,
            "contact": proposer,
            "is_demo": True,
        },
    )
    project.tags.set(Tag.objects.for_names(data.tags))
    project.platforms.set(Platform.objects.for_names(data.platforms))
    for audience in data.audiences:
        ProjectAudience.objects.get_or_create(project=project, audience=audience)
    ProjectAudience.objects.filter(project=project).exclude(audience__in=data.audiences).delete()
    for position, (title, url) in enumerate(data.links):
        ProjectLink.objects.update_or_create(
            project=project, url=url, defaults={"title": title, "position": position}
        )
    for item in data.evidence:
        Evidence.objects.update_or_create(
            project=project,
            kind=item.kind,
            date=item.when,
            metric=item.metric,
            title=item.title,
            defaults={
                "quote": item.quote,
                "publication": item.publication,
                "author_name": item.author_name,
                "source_url": item.source_url,
                "value": Decimal(item.value) if item.value is not None else None,
                "unit": item.unit,
                "period": item.period,
                "highlighted": item.highlighted,
                "status": "accepted",
                "is_demo": True,
                "added_by": proposer,
            },
        )
    search.index(project)
    return project


def load_showcase() -> str:
    projects = [_load_project(data) for data in PROJECTS]
    evidence = Evidence.objects.filter(project__in=projects).count()
    return _("%(projects)d projects, %(evidence)d pieces of evidence (invented figures)") % {
        "projects": len(projects),
        "evidence": evidence,
    }


register_demo_loader("showcase", load_showcase, order=60)
