"""What a column of a table may hold, and the words that name it in French and English."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    IGNORE = "ignore", _("Ignore")
    URL = "url", _("Address (URL)")
    TITLE = "title", _("Title")
    NOTES = "notes", _("Notes")
    TAGS = "tags", _("Tags")
    DATE = "date", _("Date")
    PRIVATE = "private", _("Private (yes/no)")
    TO_READ = "to_read", _("To read (yes/no)")
    VISIBILITY = "visibility", _("Visibility")


# Fields a row may take from one column only; notes and tags may come from several.
SINGLE_FIELDS = frozenset(
    {Field.URL, Field.TITLE, Field.DATE, Field.PRIVATE, Field.TO_READ, Field.VISIBILITY}
)

# Header names, folded (lowercase, no accents, words separated by one space).
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    Field.URL: (
        "url",
        "urls",
        "lien",
        "liens",
        "lien web",
        "lien internet",
        "adresse",
        "adresse web",
        "adresse url",
        "adresse internet",
        "site",
        "site web",
        "site internet",
        "link",
        "links",
        "href",
        "uri",
        "address",
        "web address",
        "page",
        "page web",
        "url de la page",
    ),
    Field.TITLE: (
        "titre",
        "titres",
        "title",
        "nom",
        "name",
        "intitule",
        "libelle",
        "titre de la page",
        "titre de l article",
        "page title",
        "article",
    ),
    Field.NOTES: (
        "commentaire",
        "commentaires",
        "comment",
        "comments",
        "notes",
        "note",
        "remarque",
        "remarques",
        "resume",
        "summary",
        "description",
        "extended",
        "extrait",
        "excerpt",
        "observations",
        "observation",
        "annotation",
        "annotations",
        "avis",
        "contenu",
        "texte",
    ),
    Field.TAGS: (
        "mots cles",
        "mot cle",
        "mots clefs",
        "mot clef",
        "mots cle",
        "tags",
        "tag",
        "etiquettes",
        "etiquette",
        "labels",
        "label",
        "categorie",
        "categories",
        "category",
        "theme",
        "themes",
        "thematique",
        "thematiques",
        "rubrique",
        "rubriques",
        "dossier",
        "dossiers",
        "folder",
        "folders",
        "keywords",
        "keyword",
        "sujet",
        "sujets",
        "topic",
        "topics",
        "domaine",
        "collection",
    ),
    Field.DATE: (
        "date",
        "dates",
        "date d ajout",
        "ajoute le",
        "ajout",
        "added",
        "date added",
        "created",
        "created at",
        "creation",
        "date de creation",
        "time",
        "timestamp",
        "add date",
        "date de publication",
        "publie le",
        "publication",
        "date de consultation",
        "consulte le",
        "vu le",
        "jour",
    ),
    Field.PRIVATE: ("prive", "privee", "private", "confidentiel"),
    Field.TO_READ: ("a lire", "toread", "to read", "unread", "lire plus tard", "read later"),
    Field.VISIBILITY: ("visibilite", "visibility"),
}
EXACT_NAMES = {name: field_ for field_, names in HEADER_NAMES.items() for name in names}
# Words that start a header naming a field: "Lien vers l'article", "Date de lecture".
FIRST_WORDS = {
    name: field_ for field_, names in HEADER_NAMES.items() for name in names if " " not in name
}

TRUE_WORDS = frozenset(
    {"1", "x", "oui", "o", "yes", "y", "vrai", "true", "prive", "privee", "private", "✓", "✔"}
)
VISIBILITY_WORDS = {
    "public": "public",
    "publique": "public",
    "tout le monde": "public",
    "members": "members",
    "membres": "members",
    "membres du reseau": "members",
    "reseau": "members",
    "private": "private",
    "prive": "private",
    "privee": "private",
    "moi": "private",
    "moi seulement": "private",
}
