"""The demo's Excel sheet: a colleague's watch as she kept it before the network had a tool —
a title row above the header (one merged cell), French column names, dates that lost their
format (Excel serial numbers), a few blank rows, a page kept twice, an address typed without
https://, a line with no address. Importing it shows the column-checking step.

Built with openpyxl, byte for byte the same each time (fixed dates in the file and the zip),
so the demo loader writes it into the demo data folder only when it changed.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from django.conf import settings

FILE_NAME = "veille-sophie-le-bihan-2013-2014.xlsx"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED_MOMENT = datetime(2014, 3, 26, 18, 0, 0)
HEADERS = ["Date", "Titre", "Lien", "Mots-clés", "Commentaire", "Vu par"]
EXCEL_EPOCH = date(1899, 12, 30)

# (date, title, address, tags, comment, found by). A None date is left empty; a string date
# is typed as text, the way people do.
WATCH: list[tuple[date | str | None, str, str, str, str, str]] = [
    (
        date(2013, 10, 2),
        "Creative Commons, la licence BY-SA en français",
        "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        "Creative Commons, licences",
        "La licence des contenus de Wikipédia : à citer en atelier.",
        "Sophie",
    ),
    (
        date(2013, 10, 4),
        "Creative Commons — Wikipédia",
        "https://fr.wikipedia.org/wiki/Creative_Commons",
        "Creative Commons, licences",
        "Historique et les six licences, bien expliqué.",
        "Sophie",
    ),
    (
        date(2013, 10, 9),
        "Flickr: The Commons",
        "https://www.flickr.com/commons",
        "Flickr, patrimoine, musées",
        "Les institutions qui versent leurs photos sans restriction connue.",
        "Mathieu",
    ),
    (
        date(2013, 10, 15),
        "Europeana",
        "https://www.europeana.eu/fr",
        "patrimoine, musées, bibliothèques numériques",
        "",
        "Sophie",
    ),
    (
        date(2013, 10, 21),
        "Gallica, la bibliothèque numérique de la BnF",
        "https://gallica.bnf.fr/",
        "bibliothèques numériques, patrimoine",
        "Ils publient beaucoup sur les réseaux sociaux : regarder comment.",
        "Sophie",
    ),
    (
        date(2013, 10, 28),
        "S.I.Lex, le blog de Calimaq",
        "https://scinfolex.com/",
        "droit d'auteur, domaine public, bibliothèques",
        "Le blog de référence sur le droit et les bibliothèques.",
        "Sophie",
    ),
    (
        date(2013, 11, 5),
        "Bibliobsession",
        "https://bibliobsession.net/",
        "bibliothèques, médiation numérique",
        "Silvère Mercier : bibliothèques et web, médiation.",
        "Mathieu",
    ),
    (None, "", "", "", "", ""),
    (
        date(2013, 11, 12),
        "SavoirsCom1 — les communs de la connaissance",
        "https://savoirscom1.info/",
        "communs, licences, bibliothèques",
        "Un collectif à inviter ?",
        "Sophie",
    ),
    (
        date(2013, 11, 14),
        "OpenGLAM",
        "https://openglam.org/",
        "GLAM, musées, licences",
        "Principes pour l'ouverture des collections.",
        "Mathieu",
    ),
    (
        date(2013, 11, 19),
        "GLAM — Wikipédia",
        "https://fr.wikipedia.org/wiki/GLAM_(institutions)",
        "GLAM, Wikipédia, musées",
        "",
        "Sophie",
    ),
    (
        date(2013, 11, 25),
        "Wikimédia France",
        "https://www.wikimedia.fr/",
        "Wikipédia, patrimoine, partenariats",
        "Partenariats avec musées et archives : les contacter pour un atelier.",
        "Sophie",
    ),
    (
        date(2013, 11, 28),
        "Wikimedia Commons",
        "https://commons.wikimedia.org/",
        "Wikipédia, images, licences",
        "",
        "Mathieu",
    ),
    (
        date(2013, 12, 3),
        "Association des bibliothécaires de France",
        "https://www.abf.asso.fr/",
        "bibliothèques, réseau professionnel",
        "",
        "Sophie",
    ),
    (
        date(2013, 12, 5),
        "ADBS, l'association des professionnels de l'information",
        "https://www.adbs.fr/",
        "documentalistes, réseau professionnel",
        "",
        "Sophie",
    ),
    (
        date(2013, 12, 10),
        "Association des archivistes français",
        "https://www.archivistes.org/",
        "archives, réseau professionnel",
        "",
        "Mathieu",
    ),
    (None, "", "", "", "", ""),
    (None, "", "", "", "", ""),
    (
        date(2013, 12, 16),
        "Enssib — l'école des bibliothèques",
        "https://www.enssib.fr/",
        "bibliothèques, formation",
        "Leurs mémoires sur les réseaux sociaux en bibliothèque.",
        "Sophie",
    ),
    (
        date(2013, 12, 18),
        "Bulletin des bibliothèques de France",
        "https://bbf.enssib.fr/",
        "bibliothèques, revue",
        "",
        "Sophie",
    ),
    (
        date(2014, 1, 7),
        "Community management — Wikipédia",
        "https://fr.wikipedia.org/wiki/Community_management",
        "community management, réseaux sociaux",
        "Pour la définition, avant l'atelier.",
        "Mathieu",
    ),
    (
        date(2014, 1, 9),
        "Réseau social — Wikipédia",
        "https://fr.wikipedia.org/wiki/R%C3%A9seau_social",
        "réseaux sociaux",
        "",
        "Mathieu",
    ),
    (
        date(2014, 1, 14),
        "Médiation numérique — Wikipédia",
        "https://fr.wikipedia.org/wiki/M%C3%A9diation_num%C3%A9rique",
        "médiation numérique, bibliothèques",
        "",
        "Sophie",
    ),
    (
        date(2014, 1, 16),
        "Veille informationnelle — Wikipédia",
        "https://fr.wikipedia.org/wiki/Veille_informationnelle",
        "veille, méthodes",
        "Relire avant de montrer Delicious à l'équipe.",
        "Sophie",
    ),
    (
        date(2014, 1, 21),
        "Folksonomie — Wikipédia",
        "https://fr.wikipedia.org/wiki/Folksonomie",
        "veille, mots-clés, méthodes",
        "Pourquoi les mots-clés partagés marchent.",
        "Sophie",
    ),
    (
        date(2014, 1, 23),
        "Delicious (site web) — Wikipédia",
        "https://fr.wikipedia.org/wiki/Delicious_(site_web)",
        "veille, outils",
        "L'outil qu'on m'a montré ; l'histoire du service.",
        "Mathieu",
    ),
    (
        "28/01/2014",
        "Netvibes",
        "https://www.netvibes.com/fr",
        "veille, flux RSS, outils",
        "Tableau de bord de flux : tester pour la médiathèque.",
        "Sophie",
    ),
    (
        date(2014, 2, 4),
        "Framasoft",
        "www.framasoft.org",
        "logiciels libres, outils",
        "Des outils libres pour le réseau (pads, agendas).",
        "Mathieu",
    ),
    (
        date(2014, 2, 6),
        "Mastodon, le réseau social décentralisé",
        "https://joinmastodon.org/fr",
        "réseaux sociaux, logiciels libres",
        "",
        "Mathieu",
    ),
    (
        date(2014, 2, 11),
        "Les collections du Louvre en ligne",
        "https://collections.louvre.fr/",
        "musées, collections en ligne",
        "",
        "Sophie",
    ),
    (
        date(2014, 2, 13),
        "Musée de Bretagne",
        "https://www.musee-bretagne.fr/",
        "musées, Rennes, patrimoine",
        "Leurs collections en ligne et leur page Facebook.",
        "Sophie",
    ),
    (
        date(2014, 2, 18),
        "Les Champs Libres",
        "https://www.leschampslibres.fr/",
        "Rennes, bibliothèques, musées",
        "",
        "Sophie",
    ),
    (
        date(2014, 2, 20),
        "Domaine public — Wikipédia",
        "https://fr.wikipedia.org/wiki/Domaine_public_(propri%C3%A9t%C3%A9_intellectuelle)",
        "domaine public, droit d'auteur",
        "",
        "Sophie",
    ),
    (
        date(2014, 2, 25),
        "Licence libre — Wikipédia",
        "https://fr.wikipedia.org/wiki/Licence_libre",
        "licences, Creative Commons",
        "",
        "Mathieu",
    ),
    (
        date(2014, 3, 4),
        "Creative Commons — Wikipédia",
        "https://fr.wikipedia.org/wiki/Creative_Commons#Les_licences",
        "Creative Commons, atelier",
        "Revu pour préparer l'atelier du 26 mars.",
        "Sophie",
    ),
    (
        date(2014, 3, 6),
        "Pearltrees — Wikipédia",
        "https://fr.wikipedia.org/wiki/Pearltrees",
        "veille, outils, curation",
        "Une autre façon de ranger la veille.",
        "Mathieu",
    ),
    (
        date(2014, 3, 11),
        "Flickr — Wikipédia",
        "https://fr.wikipedia.org/wiki/Flickr",
        "Flickr, images, réseaux sociaux",
        "",
        "Mathieu",
    ),
    (
        date(2014, 3, 13),
        "Le classeur partagé de l'équipe",
        "voir le dossier commun",
        "organisation",
        "Pas encore en ligne.",
        "Sophie",
    ),
    (None, "", "", "", "", ""),
    (
        date(2014, 3, 18),
        "Bibliothèque publique — Wikipédia",
        "https://fr.wikipedia.org/wiki/Biblioth%C3%A8que_publique",
        "bibliothèques",
        "",
        "Sophie",
    ),
    (
        date(2014, 3, 20),
        "Ministère de la Culture",
        "https://www.culture.gouv.fr/",
        "politiques culturelles, musées, bibliothèques",
        "",
        "Sophie",
    ),
    (
        date(2014, 3, 25),
        "Signet (informatique) — Wikipédia",
        "https://fr.wikipedia.org/wiki/Signet_(informatique)",
        "veille, outils",
        "La veille de l'atelier de demain : tout mettre en commun.",
        "Sophie",
    ),
]


def _serial(day: date) -> int:
    return (day - EXCEL_EPOCH).days


def build_demo_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.properties.creator = "Sophie Le Bihan"
    workbook.properties.created = FIXED_MOMENT
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Veille"
    sheet["A1"] = "Ma veille — réseaux sociaux, licences libres et musées en ligne (2013-2014)"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for day, title, address, tags, comment, found_by in WATCH:
        if day is None and not address:
            sheet.append([])
            continue
        value: int | str | None = _serial(day) if isinstance(day, date) else day
        sheet.append([value, title, address, tags, comment, found_by])
    for letter, width in zip("ABCDEF", (10, 48, 52, 36, 56, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("À trier")
    notes.append(["Idées pour l'atelier du 26 mars 2014"])
    notes.append(["Montrer Delicious ? Ou un outil libre ?"])
    raw = io.BytesIO()
    workbook.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same bytes on every run: fixed dates for the zip entries and the document."""
    stamp = FIXED_MOMENT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    result = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return result.getvalue()


def demo_sheet_path() -> Path:
    return Path(settings.DATA_DIR) / "demo" / FILE_NAME


def ensure_demo_sheet() -> Path:
    """Write the sheet into the demo data folder unless it is already there, unchanged."""
    path = demo_sheet_path()
    content = build_demo_workbook()
    if not path.exists() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return path
