"""Demo data for articles: the report of the 26 March 2014 workshop (the one report of that
workshop: an article attached to it, with its outcomes, links to go further and a file), a few
other articles, and a reader's suggestion waiting for an answer.

Facts from the seed (the workshop, its themes, its date of publication, 2 April 2014, and its
Creative Commons licence); the prose is our own. Loading twice changes nothing: every row is found
again by its natural key (an article's slug, a link's address).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from maillage.articles.models import (
    Article,
    ArticleAttachment,
    ArticleStatus,
    ArticleVisibility,
    FurtherLink,
    LinkSuggestion,
    SuggestionStatus,
)
from maillage.core.demo import register_demo_loader
from maillage.core.licences import Licence
from maillage.core.models import Tag
from maillage.core.text import french_spacing
from maillage.events.demo import FIRST_WORKSHOP_SLUG, PARIS
from maillage.events.models import Event
from maillage.members import demo as members_demo
from maillage.members.models import User

REPORT_SLUG = "compte-rendu-atelier-26-mars-2014"

REPORT_BODY = """\
Mercredi 26 mars 2014, en fin d’après-midi, le réseau a tenu son tout premier atelier. \
Le thème avait de quoi rassembler : comment faire avec les réticences de nos établissements \
quand on veut les ouvrir aux réseaux sociaux ? Mathieu menait les échanges. Voici ce que nous \
en retenons ; complétez, corrigez, discutez en commentaire.

Nous étions une quinzaine pendant un peu moins de deux heures : beaucoup de bibliothécaires, \
des documentalistes, une étudiante en communication, des gens de la médiation et du web. \
Pas d’exposé : chacun a apporté son expérience, ses doutes et ses questions.

## D’où viennent les réticences

En quelques minutes, le tableau s’est rempli : « ça me fait peur », « je n’ai pas le temps », \
« ce n’est pas mon métier », « c’est un truc de geeks », « je suis déjà assez devant un \
écran ». Sous ces phrases, un constat partagé : bien des collègues ignorent ce qu’ils \
pourraient trouver sur ces réseaux, et ne s’en sentent donc pas concernés. Pour d’autres, \
c’est une question d’habitudes, de génération ou de milieu.

## Ce qui éveille la curiosité

Chacun avait en mémoire un déclic. Parfois une formation ou une conférence qui change le \
regard ; le plus souvent, un outil présenté à partir de ce que la personne fait déjà. \
Une collègue qui tient sa veille dans un tableur découvre les signets partagés ; un \
photographe amateur découvre Flickr, et avec lui les licences libres. La règle qui s’en \
dégage : partir du métier de l’autre, pas de l’outil.

## Ce qui fait naître les projets

Les réussites racontées autour de la table ont souvent commencé sans autorisation : une \
stagiaire qui ouvre le blog d’une galerie, une documentaliste qui crée la page Facebook de \
son CDI. Refus et inquiétudes au départ, puis, à force de persévérance, des projets devenus \
évidents. Deux conseils pour qui se lance dans un milieu peu réceptif : montrer ce que font \
d’autres établissements, et garder la trace de chaque retour positif (commentaires, articles \
de presse) pour le jour où il faudra convaincre.

## Une institution qui converse

Le débat le plus long a porté sur la façon dont nos institutions parlent. Avant tout outil, \
il faut une stratégie : celle de l’établissement, ses publics, ce qu’on veut leur dire. \
Ensuite vient la question de la voix. Nos établissements parlent volontiers d’une seule voix, \
descendante, validée à chaque étage : les personnes s’effacent derrière la fonction. Sur les \
réseaux, ce modèle ne tient pas : on y converse, vite. Quand la réponse à un usager doit \
remonter toute la hiérarchie, elle arrive trop tard.

Une piste a beaucoup fait parler : encourager les agents à s’exprimer aussi avec leur propre \
compte, chacun sur ce qu’il connaît le mieux, pour des publics que cela intéresse vraiment. \
Les craintes sont connues (perte de contrôle, messages contradictoires, devoir de réserve) ; \
la réponse proposée tient en trois mots : former, sensibiliser, faire confiance. Autrement \
dit, décider de ne pas tout valider.

## Questions pratiques sur Facebook

Celles et ceux qui animent une page d’établissement avaient leurs questions : comment \
intéresser les lecteurs, à quel rythme publier, sur quel ton ? Pas de recette unique, mais \
un réflexe : les professionnels de l’animation de communautés partagent beaucoup de conseils \
en ligne, ils méritent une place dans notre veille.

## Suites et idées

- Recenser, pour le réseau, des projets réussis à montrer aux collègues hésitants.
- Proposer un atelier pratique sur les pages Facebook d’établissement.
- Partager nos liens « pour aller plus loin » : ci-dessous, en commentaire ou sur la liste de \
diffusion.
"""

# A file that goes with the report (served only to its readers), in our own words.
REPORT_ATTACHMENT_TITLE = "Les notes du tableau, recopiées"
REPORT_ATTACHMENT_NAME = "notes-du-tableau-26-mars-2014.txt"
REPORT_ATTACHMENT_TEXT = """Atelier du 26 mars 2014 — ce que le tableau a gardé

Les freins entendus
- la peur de mal faire
- le manque de temps
- « ce n’est pas mon métier »
- la fatigue des écrans

Les déclics racontés
- une formation, une conférence
- un outil montré à partir de son propre travail (signets partagés, Flickr)

Les pistes
- une stratégie avant les outils
- des agents qui parlent aussi en leur nom : former, accompagner, faire confiance
"""

REPORT_LINKS = [
    (
        "Des projets réussis à montrer",
        "https://docarennes.example/vitrine/",
        "La liste que le réseau commence à tenir, ouverte à vos ajouts.",
        "",
    ),
    (
        "Le blog de la BU du campus des Lices",
        "https://blog.bu-lices.example/",
        "Un exemple de blog d’établissement tenu par l’équipe.",
        "",
    ),
    (
        "Licences Creative Commons : le guide pour choisir",
        "https://creativecommons.org/choose/",
        "Pour partager photos et textes en disant ce que les autres ont le droit d’en faire.",
        "Yann Le Gall",
    ),
]

PENDING_SUGGESTION = {
    "title": "Animer une page Facebook de bibliothèque : retours d’expérience",
    "url": "https://bibliotheques-en-ligne.example/facebook-retours",
    "note": "Des conseils concrets sur le rythme et le ton, en réponse aux questions posées.",
    "name": "Audrey Le Floch",
    "email": f"audrey.lefloch@invites.{members_demo.DEMO_EMAIL_DOMAIN}",
}

VOICES_BODY = """\
Lors de notre premier atelier, une idée a beaucoup fait parler : laisser les agents d’un \
établissement s’exprimer sur les réseaux avec leur propre compte. Voici pourquoi je la \
défends, et comment s’y prendre sans inquiéter la direction.

## Plusieurs voix touchent plus de monde

Un compte institutionnel parle à tout le monde, donc un peu à personne. Le régisseur qui \
raconte le montage d’une exposition, la bibliothécaire jeunesse qui partage ses lectures, \
l’archiviste qui publie un document du jour : chacun touche un public précis, avec un ton \
que le compte officiel ne peut pas prendre.

## Un cadre plutôt qu’un contrôle

- une charte courte, écrite avec les agents, qui rappelle le devoir de réserve ;
- une formation d’une demi-journée, centrée sur des cas réels ;
- un relais au service communication, pour demander conseil sans demander la permission.

## Accepter de ne pas tout valider

La validation préalable de chaque message tue la conversation. Faire confiance, c’est \
accepter qu’un message soit parfois maladroit, et corriger ensemble après coup. \
L’expérience montre que c’est rare, et que les publics le pardonnent volontiers.
"""

FACEBOOK_BODY = """\
Après l’atelier de mars, plusieurs collègues m’ont demandé comment nous animons la page \
Facebook de la médiathèque. Voici ce que nous avons appris en deux ans, sans recette \
miracle.

1. **Publier moins, mais régulièrement** : trois messages par semaine valent mieux qu’une \
rafale suivie d’un long silence.
2. **Montrer les coulisses** : l’arrivée des nouveautés, le désherbage, la préparation d’une \
animation intéressent plus qu’une affiche.
3. **Poser des questions** : « quel livre avez-vous relu cet été ? » fait réagir.
4. **Répondre vite**, y compris aux critiques, avec le ton de l’accueil.
5. **Regarder les statistiques une fois par mois**, pas tous les jours.
"""

DRAFT_BODY = """\
Notre veille partagée a commencé dans un tableur. Ce brouillon raconte comment nous sommes \
passés aux signets partagés et aux flux, et ce que nous aimerions construire avec le réseau.

## À compléter

- les outils essayés ;
- ce qui a marché, ce qui a été abandonné.
"""


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    body: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    published: datetime | None
    licence: str = Licence.CC_BY_SA
    visibility: str = ArticleVisibility.PUBLIC
    event_slug: str | None = None
    links: list[tuple[str, str, str, str]] = field(default_factory=list)


def _paris(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


ARTICLES = [
    DemoArticle(
        slug=REPORT_SLUG,
        title="Compte-rendu : dépasser les réticences de nos institutions face aux réseaux",
        summary=(
            "Premier atelier du réseau, le 26 mars 2014 : d’où viennent les freins, ce qui "
            "déclenche la curiosité, et comment une institution peut converser en ligne."
        ),
        body=REPORT_BODY,
        authors=("claire.morvan",),
        tags=("réseaux sociaux", "institutions", "stratégie", "compte-rendu"),
        published=_paris(date(2014, 4, 2), time(9, 30)),
        event_slug=FIRST_WORKSHOP_SLUG,
        links=REPORT_LINKS,
    ),
    DemoArticle(
        slug="valider-de-ne-pas-tout-valider",
        title="Valider de ne pas tout valider : laisser parler les agents",
        summary=(
            "Pourquoi encourager les agents à s’exprimer en leur nom sur les réseaux, et "
            "comment poser un cadre qui rassure sans étouffer."
        ),
        body=VOICES_BODY,
        authors=("mathieu.quere",),
        tags=("réseaux sociaux", "institutions", "devoir de réserve"),
        published=_paris(date(2014, 5, 12), time(8, 0)),
        licence=Licence.CC_BY,
    ),
    DemoArticle(
        slug="cinq-pistes-page-facebook-bibliotheque",
        title="Cinq pistes pour animer la page Facebook d’une bibliothèque",
        summary="Ce que deux ans de page Facebook nous ont appris sur le rythme et le ton.",
        body=FACEBOOK_BODY,
        authors=("julien.tanguy", "nolwenn.guillou"),
        tags=("Facebook", "médiation numérique"),
        published=_paris(date(2014, 6, 3), time(18, 0)),
        visibility=ArticleVisibility.MEMBERS,
    ),
    DemoArticle(
        slug="notre-veille-partagee-premiers-pas",
        title="Notre veille partagée : premiers pas",
        summary="Du tableur aux signets partagés : un brouillon à compléter.",
        body=DRAFT_BODY,
        authors=("sophie.lebihan",),
        tags=("veille",),
        published=None,
    ),
]


def _load(data: DemoArticle, members: dict[str, User]) -> Article:
    authors = [members[local] for local in data.authors]
    event = Event.objects.filter(slug=data.event_slug).first() if data.event_slug else None
    created = data.published or _paris(date(2014, 9, 1), time(10, 0))
    article, _created = Article.objects.update_or_create(
        slug=data.slug,
        defaults={
            "title": french_spacing(data.title),
            "summary": french_spacing(data.summary),
            "body": french_spacing(data.body),
            "licence": data.licence,
            "language": "fr",
            "visibility": data.visibility,
            "event": event,
            "status": ArticleStatus.PUBLISHED if data.published else ArticleStatus.DRAFT,
            "published_at": data.published,
            "published_by": members.get("claire.morvan") if data.published else None,
            "created_by": authors[0],
            "created_at": created,
        },
    )
    article.authors.set(authors)
    article.tags.set(Tag.objects.for_names(data.tags))
    for position, (title, url, note, credit) in enumerate(data.links):
        FurtherLink.objects.update_or_create(
            article=article,
            url=url,
            defaults={
                "title": french_spacing(title),
                "note": french_spacing(note),
                "position": position,
                "suggested_by_name": credit,
                "added_at": created,
            },
        )
    return article


def _attach_report_file(report: Article) -> None:
    attachment = report.attachments.filter(title=french_spacing(REPORT_ATTACHMENT_TITLE)).first()
    if attachment is not None and attachment.file.storage.exists(attachment.file.name):
        return
    if attachment is None:
        attachment = ArticleAttachment(
            article=report,
            title=french_spacing(REPORT_ATTACHMENT_TITLE),
            uploaded_at=_paris(date(2014, 4, 2), time(9, 30)),
        )
    content = ContentFile(french_spacing(REPORT_ATTACHMENT_TEXT).encode())
    attachment.file.save(REPORT_ATTACHMENT_NAME, content, save=True)


# How the events demo's own report of 26 March 2014 began, before reports became articles: a demo
# database from then holds it as a second report article once migrated (events 0003).
OLD_EVENTS_DEMO_REPORT_START = "Nous étions quinze pour ce premier atelier"


def _drop_the_old_second_report(report: Article) -> None:
    """One report for 26 March 2014: the events demo's old one goes (comments it had move here)."""
    from django.contrib.contenttypes.models import ContentType

    from maillage.articles.comments.models import Comment, CommentSubscription

    if report.event_id is None:
        return
    old = Article.objects.filter(
        event=report.event_id, body__startswith=OLD_EVENTS_DEMO_REPORT_START
    ).exclude(pk=report.pk)
    article_type = ContentType.objects.get_for_model(Article)
    for article in old:
        Comment.objects.on(article).update(object_id=report.pk)
        CommentSubscription.objects.filter(content_type=article_type, object_id=article.pk).delete()
        for attachment in article.attachments.all():
            attachment.file.delete(save=False)
        article.delete()


def load_articles() -> str:
    members = members_demo.demo_members()
    articles = [_load(data, members) for data in ARTICLES]
    report = articles[0]
    _drop_the_old_second_report(report)
    _attach_report_file(report)
    LinkSuggestion.objects.update_or_create(
        article=report,
        url=PENDING_SUGGESTION["url"],
        email=PENDING_SUGGESTION["email"],
        defaults={
            "title": french_spacing(PENDING_SUGGESTION["title"]),
            "note": french_spacing(PENDING_SUGGESTION["note"]),
            "name": PENDING_SUGGESTION["name"],
            "status": SuggestionStatus.PENDING,
            "created_at": _paris(date(2014, 4, 4), time(12, 15)),
        },
    )
    return _("%(articles)d articles, %(links)d links to go further") % {
        "articles": len(articles),
        "links": FurtherLink.objects.filter(article__in=articles).count(),
    }


register_demo_loader("articles", load_articles, order=40)
