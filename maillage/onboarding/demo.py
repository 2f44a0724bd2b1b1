"""Demo data for the first steps: the objections the 26 March 2014 workshop listed, answers and
testimonies written by us, the two triggers the seed tells (a watch kept in a spreadsheet shown
social bookmarking; a photographer shown Flickr and free licences), a training or a talk, and a
handful more practices with their ten-minute first steps. A few anonymous questionnaires give
the coordinators' counts something to show.

Facts from the seed (the objections, the triggers, the workshop); the prose is our own. Loading
twice changes nothing: rows are found again by their slug (answers by objection and author).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils.translation import gettext as _

from maillage.articles.demo import REPORT_SLUG
from maillage.articles.models import Article
from maillage.core.demo import register_demo_loader
from maillage.core.text import french_spacing
from maillage.events.demo import FIRST_WORKSHOP_SLUG, PARIS
from maillage.events.models import Event
from maillage.members import demo as members_demo
from maillage.members.models import User
from maillage.onboarding.models import (
    Answer,
    AnswerKind,
    AnswerVisibility,
    FirstStep,
    HelpfulVote,
    Objection,
    Path,
    PathStep,
    Practice,
    PracticeStep,
    ProposalState,
    StepFeed,
    StepKind,
    Tool,
)
from maillage.onboarding.planning import plan_path
from maillage.showcase.models import Project


def _paris(day: date, at: time = time(10, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


@dataclass(frozen=True)
class DemoAnswer:
    author: str
    body: str
    kind: str = AnswerKind.ANSWER
    title: str = ""
    voters: tuple[str, ...] = ()
    visibility: str = AnswerVisibility.PUBLIC
    featured: bool = False


@dataclass(frozen=True)
class DemoObjection:
    slug: str
    title: str
    explanation: str
    answers: tuple[DemoAnswer, ...]
    featured: bool = False
    link_report: bool = True
    # Showcase projects (their slugs in the showcase's demo) that answer the objection.
    projects: tuple[str, ...] = ()


OBJECTIONS = [
    DemoObjection(
        slug="j-ai-peur",
        projects=("les-squelettes-qui-parlent", "la-page-facebook-de-la-canopee"),
        title="J’ai peur de me lancer",
        explanation=(
            "Peur de mal faire, de se tromper devant tout le monde, de ne plus pouvoir revenir "
            "en arrière. Souvent aussi : peur de parler au nom de l’établissement sans en avoir "
            "le droit."
        ),
        featured=True,
        answers=(
            DemoAnswer(
                author="sophie.lebihan",
                body=(
                    "Commencez par lire sans rien publier : suivez trois comptes de "
                    "bibliothèques pendant une semaine. On n’a plus peur de ce qu’on connaît."
                ),
                voters=("julien.tanguy", "marie.lemoine", "fatou.diallo", "lucie.hamon"),
            ),
            DemoAnswer(
                author="mathieu.quere",
                body=(
                    "Une erreur sur un réseau se corrige : on modifie, on s’excuse, on remercie "
                    "celui qui l’a signalée. C’est même souvent ce qui rend une page "
                    "sympathique."
                ),
                voters=("nolwenn.guillou", "camille.rault"),
            ),
            DemoAnswer(
                author="claire.morvan",
                kind=AnswerKind.TESTIMONY,
                title="Comment j’ai convaincu ma direction",
                body=(
                    "Ma directrice craignait surtout le devoir de réserve. Je lui ai proposé "
                    "une charte d’une page, écrite avec deux collègues : de quoi on parle, sur "
                    "quel ton, qui prévenir en cas de doute. Elle l’a signée, et depuis elle ne "
                    "relit plus tout : elle nous fait confiance."
                ),
                voters=("helene.jaouen", "anne-laure.kervella", "elodie.marchand"),
                featured=True,
            ),
        ),
    ),
    DemoObjection(
        slug="je-n-ai-pas-le-temps",
        projects=("le-blog-de-la-bu-rennes-2",),
        title="Je n’ai pas le temps de m’y mettre",
        explanation=(
            "Les journées sont pleines, et le web social ressemble à une tâche de plus. "
            "Derrière, souvent : on ne voit pas encore ce que ça ferait gagner."
        ),
        featured=True,
        answers=(
            DemoAnswer(
                author="elodie.marchand",
                body=(
                    "Ne partez pas de zéro : si vous faites déjà une veille dans un tableur, "
                    "importez-la. Dix minutes, et vos liens deviennent cherchables et "
                    "partageables. Le temps gagné se voit la semaine suivante."
                ),
                voters=("claire.morvan", "fatou.diallo", "julien.tanguy"),
            ),
            DemoAnswer(
                author="karim.benali",
                body=(
                    "Bloquez un quart d’heure fixe, deux fois par semaine, plutôt que « quand "
                    "j’aurai un moment ». La régularité compte plus que la durée."
                ),
                voters=("bastien.coquelin",),
            ),
        ),
    ),
    DemoObjection(
        slug="ce-n-est-pas-mon-metier",
        projects=("la-page-facebook-de-la-canopee", "le-blog-de-l-oeil-vif"),
        title="Ce n’est pas mon métier",
        explanation=(
            "On est bibliothécaire, archiviste, médiatrice : pas chargé de communication. "
            "Le web paraît être l’affaire d’un autre service."
        ),
        answers=(
            DemoAnswer(
                author="nolwenn.guillou",
                body=(
                    "Conseiller un livre, répondre à une question, montrer un document rare : "
                    "c’est exactement votre métier, et c’est ce qui marche le mieux en ligne. "
                    "Le réseau n’est qu’un guichet de plus."
                ),
                voters=("sophie.lebihan", "pierre-yves.ledu", "marie.lemoine"),
            ),
            DemoAnswer(
                author="fatou.diallo",
                kind=AnswerKind.TESTIMONY,
                title="La page du CDI, lancée sans permission",
                body=(
                    "J’ai ouvert la page de notre CDI sans rien demander, avec les coups de "
                    "cœur des élèves. Au bout d’un trimestre, j’ai imprimé les commentaires des "
                    "parents et un article du journal local, et je les ai posés sur le bureau "
                    "du principal. La page est maintenant dans le projet d’établissement."
                ),
                voters=("claire.morvan", "nolwenn.guillou"),
                visibility=AnswerVisibility.MEMBERS,
            ),
        ),
    ),
    DemoObjection(
        slug="c-est-pour-les-geeks",
        projects=("wikipedia-au-lycee",),
        title="C’est un truc de geeks",
        explanation=(
            "L’impression que ces outils demandent des compétences techniques, un vocabulaire, "
            "des codes qu’on n’a pas."
        ),
        answers=(
            DemoAnswer(
                author="anne-laure.kervella",
                body=(
                    "Si vous savez envoyer un courriel avec une photo jointe, vous savez "
                    "publier sur une page. Le reste s’apprend en le faisant, et en formation "
                    "si vous préférez être accompagné."
                ),
                voters=("lucie.hamon", "julien.tanguy"),
            ),
        ),
    ),
    DemoObjection(
        slug="deja-trop-d-ecran",
        title="Je passe déjà trop de temps devant un écran",
        explanation=(
            "La fatigue de l’écran est réelle, et l’envie de garder du temps pour les "
            "lecteurs, les collections, les collègues en chair et en os."
        ),
        answers=(
            DemoAnswer(
                author="thomas.berthelot",
                body=(
                    "Le web social peut remplacer un peu d’écran au lieu d’en ajouter : une "
                    "veille bien triée évite de faire le tour de vingt sites, et une question "
                    "publique répondue une fois n’arrive plus dix fois par courriel."
                ),
                voters=("ines.ferreira",),
            ),
        ),
    ),
    DemoObjection(
        slug="je-ne-vois-pas-ce-que-j-y-trouverais",
        projects=("le-blog-de-la-bu-rennes-2", "les-squelettes-qui-parlent"),
        title="Je ne vois pas ce que j’y trouverais",
        explanation=(
            "On ne se sent pas concerné par ce qu’on ne connaît pas : tant qu’on n’a pas vu "
            "ce que font des collègues ailleurs, les réseaux restent un bruit de fond."
        ),
        answers=(
            DemoAnswer(
                author="julien.tanguy",
                body=(
                    "Montrez un exemple proche de son quotidien : la page d’une bibliothèque de "
                    "la même taille, le blog d’un service d’archives voisin. La vitrine du "
                    "réseau en rassemble plusieurs."
                ),
                voters=("sophie.lebihan", "gaelle.riou"),
            ),
        ),
    ),
    DemoObjection(
        slug="pas-de-ma-generation",
        projects=("photographies-des-archives-sous-licence-libre",),
        title="Dans mon équipe, on n’est pas connectés",
        explanation=(
            "Une génération ou un milieu qui n’a pas l’habitude d’être en ligne, et qui "
            "n’en voit pas l’intérêt pour son travail."
        ),
        answers=(
            DemoAnswer(
                author="helene.jaouen",
                body=(
                    "Proposez un binôme : un collègue à l’aise montre, l’autre apporte ce qu’il "
                    "connaît des fonds et des lecteurs. Chacun apprend quelque chose, et "
                    "personne ne se sent en retard."
                ),
                voters=("vincent.lhermitte", "lucie.hamon", "claire.morvan"),
            ),
        ),
    ),
]


@dataclass(frozen=True)
class DemoTool:
    slug: str
    name: str
    description: str
    url: str = ""


TOOLS = [
    DemoTool(
        "signets-partages",
        "Signets partagés",
        "Garder ses liens en ligne, avec des mots-clés, et les partager (Delicious, Diigo, "
        "la veille du réseau).",
    ),
    DemoTool("flux-rss", "Flux RSS", "Recevoir les nouveautés des sites suivis au même endroit."),
    DemoTool(
        "flickr",
        "Flickr",
        "Publier ses photos et dire ce qu’on peut en faire.",
        "https://www.flickr.com/",
    ),
    DemoTool(
        "creative-commons",
        "Licences Creative Commons",
        "Dire d’avance ce que chacun peut faire de ses œuvres.",
        "https://creativecommons.org/",
    ),
    DemoTool(
        "wikimedia-commons",
        "Wikimedia Commons",
        "La médiathèque libre de Wikipédia.",
        "https://commons.wikimedia.org/",
    ),
    DemoTool("blog", "Un blog", "Raconter les collections et les coulisses, à plusieurs."),
    DemoTool(
        "wikipedia",
        "Wikipédia",
        "Enrichir les articles avec les fonds que l’on connaît.",
        "https://fr.wikipedia.org/",
    ),
    DemoTool("page-facebook", "Une page Facebook", "Répondre aux lecteurs là où ils sont déjà."),
    DemoTool(
        "babelio", "Babelio", "Partager des lectures et des critiques.", "https://www.babelio.com/"
    ),
    DemoTool(
        "ateliers-du-reseau", "Les ateliers du réseau", "Apprendre à plusieurs, entre collègues."
    ),
]


@dataclass(frozen=True)
class DemoStep:
    slug: str
    kind: str
    title: str
    summary: str
    instructions: str = ""
    url: str = ""
    for_everyone: bool = False
    minutes: int = 10


STEPS = [
    DemoStep(
        slug="prochaine-formation",
        kind=StepKind.NEXT_TRAINING,
        title="S’inscrire à la prochaine formation",
        summary="Une après-midi entre collègues pour essayer, sans personne pour juger.",
        instructions=(
            "Un déclic vient souvent d’une formation ou d’une conférence : on y voit faire "
            "des gens du même métier, et les questions « bêtes » y sont bienvenues."
        ),
        for_everyone=True,
    ),
    DemoStep(
        slug="importer-votre-veille-excel",
        kind=StepKind.SPREADSHEET_IMPORT,
        title="Importer votre veille Excel",
        summary=(
            "Vos liens quittent le tableur pour une veille qu’on trie par mots-clés "
            "et qu’on partage."
        ),
        instructions=(
            "1. Gardez votre fichier tel quel : Excel, Calc ou CSV.\n"
            "2. Déposez-le sur la page d’import.\n"
            "3. Dites quelle colonne contient l’adresse, le titre, les mots-clés : c’est "
            "deviné la plupart du temps.\n"
            "4. Lisez le petit rapport : aucune ligne ne se perd sans que vous le sachiez."
        ),
    ),
    DemoStep(
        slug="licence-pour-vos-photos",
        kind=StepKind.LICENCE_CHOOSER,
        title="Choisir une licence Creative Commons pour vos photos",
        summary="Trois questions simples, et vos photos disent ce qu’on peut en faire.",
        for_everyone=True,
    ),
    DemoStep(
        slug="suivre-trois-flux",
        kind=StepKind.FOLLOW_FEEDS,
        title="Suivre ces trois flux",
        summary=(
            "Trois sources choisies par le réseau, qui arrivent d’elles-mêmes dans votre veille."
        ),
        instructions=(
            "Un clic sur « Suivre » pour chacun : les nouveaux billets arrivent ensuite dans "
            "la lecture de votre veille, sans faire le tour des sites."
        ),
        for_everyone=True,
    ),
    DemoStep(
        slug="trois-expositions-en-ligne",
        kind=StepKind.LINK,
        title="Regarder trois expositions en ligne",
        summary=(
            "Voir comment d’autres établissements ont mis leurs textes d’exposition sur le web."
        ),
        url="/vitrine/?type=online_exhibition",
    ),
    DemoStep(
        slug="pages-qui-repondent",
        kind=StepKind.LINK,
        title="Voir comment d’autres pages répondent à leurs lecteurs",
        summary=(
            "Des bibliothèques et des musées qui répondent en public aux questions qu’on leur pose."
        ),
        url="/vitrine/?type=social_media",
    ),
    DemoStep(
        slug="collections-ouvertes",
        kind=StepKind.LINK,
        title="Découvrir des collections ouvertes",
        summary="Des fonds numérisés publiés sous licence libre, et ce qu’ils sont devenus.",
        url="/vitrine/?type=open_collections",
    ),
    DemoStep(
        slug="blogs-de-bibliotheques",
        kind=StepKind.LINK,
        title="Lire deux blogs de bibliothèques",
        summary="Des coups de cœur et des coulisses racontés par des collègues.",
        url="/vitrine/?type=blog",
    ),
]

FEEDS = [
    (
        "Doc@Rennes",
        "https://docarennes.wordpress.com/feed/",
        "Le blog du collectif : comptes-rendus et rendez-vous.",
    ),
    (
        "a-brest",
        "https://www.a-brest.net/spip.php?page=backend",
        "Les biens communs et le numérique en Bretagne, sous licence libre.",
    ),
    (
        "Bibliobsession",
        "https://www.bibliobsession.net/feed/",
        "Un bibliothécaire qui réfléchit tout haut au web et aux bibliothèques.",
    ),
]


@dataclass(frozen=True)
class DemoPractice:
    slug: str
    label: str
    description: str
    tools: tuple[str, ...]
    steps: tuple[str, ...]


PRACTICES = [
    DemoPractice(
        "veille-dans-un-tableur",
        "Je tiens une veille dans un tableur",
        "Vous notez déjà les liens utiles : des signets partagés les rendent cherchables par "
        "mots-clés, et vos collègues en profitent.",
        ("signets-partages", "flux-rss"),
        ("importer-votre-veille-excel", "suivre-trois-flux"),
    ),
    DemoPractice(
        "je-prends-des-photos",
        "Je prends des photos (animations, expositions, fonds)",
        "Vos photos peuvent voyager bien plus loin que le disque dur du service, si vous dites "
        "ce qu’on a le droit d’en faire.",
        ("flickr", "creative-commons"),
        ("licence-pour-vos-photos", "collections-ouvertes"),
    ),
    DemoPractice(
        "formations-et-conferences",
        "Je vais à des formations ou à des conférences",
        "C’est souvent là que le déclic se produit : on y voit des collègues faire.",
        ("ateliers-du-reseau",),
        ("prochaine-formation",),
    ),
    DemoPractice(
        "textes-d-exposition",
        "J’écris des textes d’exposition",
        "Ces textes méritent une seconde vie en ligne : un blog ou un article de Wikipédia.",
        ("blog", "wikipedia"),
        ("trois-expositions-en-ligne", "licence-pour-vos-photos"),
    ),
    DemoPractice(
        "questions-des-lecteurs",
        "Je réponds par courriel aux questions des lecteurs",
        "Une réponse donnée en public sert à tous ceux qui se posaient la même question.",
        ("page-facebook",),
        ("pages-qui-repondent", "suivre-trois-flux"),
    ),
    DemoPractice(
        "club-de-lecture",
        "J’anime un club de lecture",
        "Les coups de cœur du club peuvent réunir d’autres lecteurs, en ligne aussi.",
        ("blog", "babelio"),
        ("blogs-de-bibliotheques", "prochaine-formation"),
    ),
    DemoPractice(
        "je-numerise-des-archives",
        "Je numérise des archives ou des fonds anciens",
        "Des images numérisées sous licence libre trouvent leur public, sur Wikimedia Commons "
        "comme sur Flickr.",
        ("wikimedia-commons", "flickr", "creative-commons"),
        ("collections-ouvertes", "licence-pour-vos-photos"),
    ),
    DemoPractice(
        "culture-de-l-information",
        "J’enseigne la recherche d’information aux élèves",
        "Montrer une veille qui vit, avec des flux et des signets, vaut tous les discours.",
        ("signets-partages", "flux-rss"),
        ("suivre-trois-flux", "importer-votre-veille-excel"),
    ),
]

# Anonymous questionnaires (practice slugs, objection slugs): enough for the counts page.
QUESTIONNAIRES = [
    (("veille-dans-un-tableur", "culture-de-l-information"), ("je-n-ai-pas-le-temps",)),
    (("veille-dans-un-tableur",), ("je-n-ai-pas-le-temps", "j-ai-peur")),
    (("veille-dans-un-tableur", "questions-des-lecteurs"), ("ce-n-est-pas-mon-metier",)),
    (("je-prends-des-photos", "je-numerise-des-archives"), ("j-ai-peur",)),
    (("je-prends-des-photos",), ("j-ai-peur", "c-est-pour-les-geeks")),
    (("je-prends-des-photos", "textes-d-exposition"), ()),
    (("formations-et-conferences", "club-de-lecture"), ("je-n-ai-pas-le-temps",)),
    (("veille-dans-un-tableur", "formations-et-conferences"), ("deja-trop-d-ecran",)),
    (("culture-de-l-information",), ("j-ai-peur",)),
    (("je-numerise-des-archives",), ("pas-de-ma-generation",)),
]


def _load_objections(members: dict[str, User]) -> list[Objection]:
    report = Article.objects.filter(slug=REPORT_SLUG).first()
    workshop = Event.objects.filter(slug=FIRST_WORKSHOP_SLUG).first()
    loaded = []
    published = _paris(date(2014, 4, 3))
    for position, data in enumerate(OBJECTIONS, start=1):
        objection, _created = Objection.objects.update_or_create(
            slug=data.slug,
            defaults={
                "title": french_spacing(data.title),
                "explanation": french_spacing(data.explanation),
                "state": ProposalState.PUBLISHED,
                "featured": data.featured,
                "hidden": False,
                "position": position,
                "proposed_by": members.get("claire.morvan"),
                "is_demo": True,
                "created_at": published,
                "published_at": published,
            },
        )
        if data.link_report and report is not None:
            objection.articles.add(report)
        if workshop is not None:
            objection.events.add(workshop)
        if data.projects:
            objection.projects.add(*Project.objects.filter(slug__in=data.projects))
        for number, answer_data in enumerate(data.answers):
            author = members.get(answer_data.author)
            if author is None:
                continue
            written = _paris(date(2014, 4, 4 + number), time(9 + number, 15))
            answer, _created = Answer.objects.update_or_create(
                objection=objection,
                author=author,
                kind=answer_data.kind,
                defaults={
                    "title": french_spacing(answer_data.title),
                    "body": french_spacing(answer_data.body),
                    "visibility": answer_data.visibility,
                    "state": ProposalState.PUBLISHED,
                    "featured": answer_data.featured,
                    "is_demo": True,
                    "created_at": written,
                    "published_at": written,
                },
            )
            for voter in answer_data.voters:
                if voter in members and voter != answer_data.author:
                    HelpfulVote.objects.get_or_create(answer=answer, member=members[voter])
        loaded.append(objection)
    return loaded


def _load_triggers() -> tuple[dict[str, FirstStep], list[Practice]]:
    tools = {}
    for data in TOOLS:
        tool, _created = Tool.objects.update_or_create(
            slug=data.slug,
            defaults={
                "name": french_spacing(data.name),
                "description": french_spacing(data.description),
                "url": data.url,
            },
        )
        tools[data.slug] = tool
    steps = {}
    for position, step_data in enumerate(STEPS, start=1):
        step, _created = FirstStep.objects.update_or_create(
            slug=step_data.slug,
            defaults={
                "kind": step_data.kind,
                "title": french_spacing(step_data.title),
                "summary": french_spacing(step_data.summary),
                "instructions": french_spacing(step_data.instructions),
                "url": step_data.url,
                "for_everyone": step_data.for_everyone,
                "minutes": step_data.minutes,
                "position": position,
                "is_demo": True,
            },
        )
        steps[step_data.slug] = step
    for position, (title, url, description) in enumerate(FEEDS):
        StepFeed.objects.update_or_create(
            step=steps["suivre-trois-flux"],
            url=url,
            defaults={
                "title": title,
                "description": french_spacing(description),
                "position": position,
            },
        )
    practices = []
    for position, practice_data in enumerate(PRACTICES, start=1):
        practice, _created = Practice.objects.update_or_create(
            slug=practice_data.slug,
            defaults={
                "label": french_spacing(practice_data.label),
                "description": french_spacing(practice_data.description),
                "position": position,
                "active": True,
                "is_demo": True,
            },
        )
        practice.tools.set([tools[slug] for slug in practice_data.tools])
        for step_position, slug in enumerate(practice_data.steps):
            PracticeStep.objects.update_or_create(
                practice=practice, step=steps[slug], defaults={"position": step_position}
            )
        practices.append(practice)
    return steps, practices


def _demo_token(number: int) -> str:
    """Stable across loads, yet not guessable from outside (drawn from the secret key)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:onboarding-demo:{number}".encode())
    return f"demo-{digest.hexdigest()[:32]}"


def _load_questionnaires(practices: list[Practice], objections: list[Objection]) -> int:
    practice_by_slug = {practice.slug: practice for practice in practices}
    objection_by_slug = {objection.slug: objection for objection in objections}
    everyone = list(
        FirstStep.objects.filter(for_everyone=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    for number, (practice_slugs, objection_slugs) in enumerate(QUESTIONNAIRES):
        chosen = [practice_by_slug[slug] for slug in practice_slugs]
        felt = [objection_by_slug[slug] for slug in objection_slugs]
        path, created = Path.objects.get_or_create(
            token=_demo_token(number),
            defaults={"created_at": _paris(date(2014, 4, 10 + number))},
        )
        if not created:
            continue
        planned = plan_path(
            practices=[
                [link.step_id for link in practice.step_links.order_by("position", "pk")]
                for practice in chosen
            ],
            objections=[objection.pk for objection in felt],
            for_everyone=everyone,
        )
        PathStep.objects.bulk_create(
            [
                PathStep(
                    path=path,
                    position=position,
                    step_id=item.id if item.kind == "step" else None,
                    objection_id=item.id if item.kind == "objection" else None,
                )
                for position, item in enumerate(planned, start=1)
            ]
        )
        path.practices.set(chosen)
        path.objections.set(felt)
    return len(QUESTIONNAIRES)


def load_onboarding() -> str:
    members = members_demo.demo_members()
    objections = _load_objections(members)
    steps, practices = _load_triggers()
    questionnaires = _load_questionnaires(practices, objections)
    return _(
        "%(objections)d objections with %(answers)d answers, %(practices)d practices, "
        "%(steps)d first steps, %(questionnaires)d anonymous questionnaires"
    ) % {
        "objections": len(objections),
        "answers": Answer.objects.filter(objection__in=objections).count(),
        "practices": len(practices),
        "steps": len(steps),
        "questionnaires": questionnaires,
    }


register_demo_loader("onboarding", load_onboarding, order=95)
