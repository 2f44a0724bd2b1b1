"""A fixed French corpus for the search tests: every kind of content, every audience.

Each document has a short key; `keys(results)` turns results back into keys. Dates are fixed, so
that recency plays the same part on every run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from maillage.core.models import Tag
from tests.factories import (
    ArticleFactory,
    BookmarkFactory,
    CommentFactory,
    EventFactory,
    InstitutionFactory,
    TagFactory,
    UserFactory,
)


def when(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def tags(*names: str) -> list[Tag]:
    return [TagFactory(name=name) for name in names]


def build() -> dict[str, object]:
    """Create the corpus (not indexed yet) and return its objects by key."""
    made: dict[str, object] = {}
    champs_libres = InstitutionFactory(name="Médiathèque des Champs Libres")
    archives = InstitutionFactory(name="Archives municipales")
    made["camille"] = UserFactory(
        display_name="Camille Le Goff",
        email="camille@example.org",
        profession="librarian",
        institution=champs_libres,
        expertise=tags("Réseaux sociaux", "Veille"),
        bio="Je coordonne la présence de la médiathèque sur Facebook et Twitter.",
        bio_visibility="members",
    )
    made["yann"] = UserFactory(
        display_name="Yann Morvan",
        email="yann@example.org",
        profession="archivist",
        institution=archives,
        expertise=tags("Archives", "Photographie"),
        bio="Numérisation des fonds iconographiques et licences libres.",
        bio_visibility="public",
    )
    made["sophie"] = UserFactory(
        display_name="Sophie Le Bihan",
        email="sophie@example.org",
        profession="documentalist",
        bio="Passionnée de tricot et de crochet.",
        bio_visibility="private",
    )
    made["nolwenn"] = UserFactory(
        display_name="Nolwenn Quéré", email="nolwenn@example.org", role="coordinator"
    )
    made["gone"] = UserFactory(
        display_name="Ancien Membre",
        email="ancien@example.org",
        is_active=False,
        bio="Spécialiste du kamishibaï.",
        bio_visibility="public",
    )
    camille, yann, sophie, nolwenn = (made[k] for k in ("camille", "yann", "sophie", "nolwenn"))

    def article(key: str, **fields: object) -> None:
        fields.setdefault("summary", "")
        fields.setdefault("created_by", fields.get("authors", [nolwenn])[0])  # type: ignore[index]
        made[key] = ArticleFactory(**fields)

    article(
        "a_reseaux",
        title="Les réseaux sociaux en bibliothèque",
        body="Comment les bibliothèques utilisent les réseaux sociaux pour toucher de nouveaux "
        "publics : Facebook, Twitter et un blog tenu par l'équipe.",
        tags=tags("Réseaux sociaux", "Bibliothèque"),
        authors=[camille],
        published_at=when(2014, 4, 2),
    )
    article(
        "a_musee",
        title="Le musée de Bretagne ouvre ses collections",
        body="Le Musée de Bretagne publie ses photographies sous licence libre. Les musées "
        "voisins suivent : une politique d'ouverture des données culturelles.",
        tags=tags("Patrimoine", "Licences libres"),
        authors=[yann],
        published_at=when(2014, 5, 12),
    )
    article(
        "a_institution",
        title="Parler au nom de l'institution",
        body="Le devoir de réserve des agents : comment une institution encadre la parole de "
        "ses agents sur le web social, et pourquoi une charte aide.",
        tags=tags("Charte"),
        authors=[nolwenn],
        published_at=when(2014, 6, 3),
    )
    article(
        "a_archives",
        title="Archives et photographie ancienne",
        body="Les archives municipales numérisent leurs fonds iconographiques : cartes "
        "postales, plaques de verre, tirages anciens de Rennes.",
        tags=tags("Archives", "Photographie"),
        authors=[yann],
        published_at=when(2014, 9, 20),
    )
    article(
        "a_draft",
        title="Brouillon : stratégie Snapchat de la médiathèque",
        body="Première version, à relire.",
        status="draft",
        published_at=None,
        authors=[camille],
    )
    article(
        "a_members",
        title="Bilan interne des ateliers",
        body="Compte interne : fréquentation des ateliers, budget de la formation Mastodon.",
        visibility="members",
        tags=tags("Bilan"),
        authors=[nolwenn],
        published_at=when(2014, 12, 1),
    )
    article(
        "a_scheduled",
        title="Programme de l'été numérique",
        body="Des ateliers de fabrication numérique tout l'été : imprimante 3D et robotique.",
        authors=[nolwenn],
        published_at=timezone.now() + timedelta(days=30),
    )
    article(
        "a_english",
        title="Social media in libraries: a review",
        body="How public libraries in Europe use social media to reach new audiences.",
        language="en",
        authors=[camille],
        published_at=when(2015, 1, 15),
    )
    article(
        "a_sociaux",
        title="Les médias sociaux et la médiation culturelle",
        body="La médiation passe aussi par les médias sociaux : exemples de musées.",
        authors=[yann],
        published_at=when(2015, 2, 2),
    )
    article(
        "a_reseau",
        title="Le réseau des bibliothèques de Rennes",
        body="Le réseau compte dix bibliothèques de quartier et une médiathèque centrale.",
        authors=[nolwenn],
        published_at=when(2015, 3, 3),
    )
    article(
        "a_phrase_scattered",
        title="Bretagne : un musée pour chaque ville",
        body="Chaque ville de Bretagne veut son musée ; la région compte les visiteurs.",
        authors=[nolwenn],
        published_at=when(2015, 4, 4),
    )

    made["e_atelier"] = EventFactory(
        title="Atelier réseaux sociaux : premiers pas",
        summary="Découvrir Twitter et Facebook en bibliothèque.",
        description="Un atelier pour ouvrir un compte, écrire un premier message et répondre "
        "aux usagers.",
        place_name="Les Champs Libres",
        starts_at=when(2014, 3, 26),
        ends_at=when(2014, 3, 26) + timedelta(hours=2),
        created_by=nolwenn,
    )
    made["e_atelier"].tags.set(tags("Réseaux sociaux"))  # type: ignore[attr-defined]
    made["e_atelier"].facilitators.set([camille])  # type: ignore[attr-defined]
    made["e_wikipedia"] = EventFactory(
        title="Rencontre Wikipédia et patrimoine",
        summary="Contribuer à Wikipédia avec les fonds patrimoniaux des musées.",
        description="Apportez vos questions sur les licences et les droits d'auteur.",
        place_name="Musée de Bretagne",
        starts_at=when(2015, 6, 10),
        ends_at=when(2015, 6, 10) + timedelta(hours=3),
        created_by=nolwenn,
    )
    made["e_wikipedia"].tags.set(tags("Patrimoine", "Wikipédia"))  # type: ignore[attr-defined]
    made["e_draft"] = EventFactory(
        title="Formation Pinterest (à confirmer)",
        summary="Date à fixer.",
        description="",
        status="draft",
        published_at=None,
        created_by=nolwenn,
        starts_at=when(2015, 9, 1),
        ends_at=when(2015, 9, 1) + timedelta(hours=2),
    )
    made["e_members"] = EventFactory(
        title="Réunion des coordinateurs",
        summary="Préparer le calendrier : ordre du jour confidentiel sur le Dailymotion du réseau.",
        description="",
        visibility="members",
        created_by=nolwenn,
        starts_at=when(2015, 1, 20),
        ends_at=when(2015, 1, 20) + timedelta(hours=2),
    )

    def bookmark(key: str, **fields: object) -> None:
        made[key] = BookmarkFactory(url=f"https://exemple.org/{key}", **fields)

    bookmark(
        "b_flickr",
        owner=yann,
        title="Flickr Commons : les institutions partagent leurs photos",
        notes="Une sélection de musées et d'archives sur Flickr Commons.",
        visibility="public",
        tags=tags("Photographie", "Licences libres"),
        created_at=when(2014, 4, 10),
    )
    bookmark(
        "b_private",
        owner=sophie,
        title="Notes personnelles sur la veille pédagogique",
        notes="Ma veille privée : outils de curation, Pearltrees et Scoop.it.",
        visibility="private",
        created_at=when(2014, 7, 1),
    )
    bookmark(
        "b_members",
        owner=camille,
        title="Guide de la veille en bibliothèque",
        notes="Méthodes de veille partagée : flux RSS, agrégateurs, listes de diffusion.",
        visibility="members",
        tags=tags("Veille"),
        created_at=when(2014, 8, 1),
    )
    bookmark(
        "b_instagram",
        owner=camille,
        title="Les musées et Instagram",
        notes="Comment les musées racontent leurs collections en images.",
        visibility="public",
        tags=tags("Musée", "Réseaux sociaux"),
        created_at=when(2014, 10, 5),
    )
    bookmark(
        "b_porte_voix",
        owner=yann,
        title="Le porte-voix des bibliothécaires",
        notes="Un billet sur la voix des agents, porte-parole de leur établissement.",
        visibility="public",
        page_text="Les bibliothécaires prennent la parole en ligne.",
        created_at=when(2014, 11, 5),
    )

    a_reseaux, a_members, a_draft = made["a_reseaux"], made["a_members"], made["a_draft"]
    made["c_published"] = CommentFactory(
        target=a_reseaux,
        author=yann,
        body="Très utile pour nos archives : nous avons ouvert un compte Instagram l'an dernier.",
        published_at=when(2014, 4, 5),
    )
    made["c_held"] = CommentFactory(
        target=a_reseaux,
        author=sophie,
        body="En attente : et Tumblr ?",
        status="held",
        published_at=None,
    )
    made["c_unconfirmed"] = CommentFactory(
        target=a_reseaux,
        author=None,
        guest_name="Invité",
        guest_email="invite@example.org",
        body="Tumblr aussi, confirmé ?",
        status="pending_email",
        published_at=None,
    )
    made["c_deleted"] = CommentFactory(
        target=a_reseaux,
        author=sophie,
        body="",
        status="deleted",
        published_at=when(2014, 4, 6),
    )
    made["c_members"] = CommentFactory(
        target=a_members,
        author=camille,
        body="Le budget Mastodon est validé, bravo.",
        published_at=when(2014, 12, 2),
    )
    made["c_on_draft"] = CommentFactory(
        target=a_draft,
        author=nolwenn,
        body="Relecture : Snapchat, vraiment ?",
        published_at=when(2014, 12, 3),
    )
    made["c_on_event"] = CommentFactory(
        target=made["e_atelier"],
        author=sophie,
        body="Merci ! J'ai enfin compris les mots-dièse de Twitter.",
        published_at=when(2014, 3, 27),
    )
    return made


def url_keys(made: dict[str, object]) -> dict[str, str]:
    """The address of each document in results → its key."""
    from maillage.core import search

    found: dict[str, str] = {}
    for key, instance in made.items():
        for document in search.documents_for(instance):  # type: ignore[arg-type]
            found[document.url] = key
    return found
