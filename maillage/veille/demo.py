"""Demo data for the watch: about 200 bookmarks kept by the demo members in 2013 and 2014 on the
seed's themes (social networks in libraries, Creative Commons, community management, museums
online, mobile, watch tools), and two lists: "Ressources pour community managers" and "Liens pour
aller plus loin — atelier du 26 mars 2014".

Addresses are real, well-known sites (the projects and tools the seed names) or pages on
example.org; descriptions and notes are ours. Pages are marked as already read (a short
description, no fetch): loading the demo never touches the network. Loading twice changes
nothing: a bookmark is found again by its owner and page, a list by its slug.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.models import Tag
from maillage.core.text import french_spacing
from maillage.core.visibility import Visibility
from maillage.events.demo import PARIS
from maillage.members import demo as members_demo
from maillage.members.models import User
from maillage.veille.models import (
    Bookmark,
    BookmarkList,
    BookmarkSource,
    ListItem,
    PageFetchStatus,
)
from maillage.veille.urls_normalise import normalise_url, url_digest

COMMUNITY_LIST_SLUG = "ressources-pour-community-managers"
WORKSHOP_LIST_SLUG = "liens-pour-aller-plus-loin-atelier-du-26-mars-2014"

# Who keeps what: the members whose work or expertise meets each theme.
THEMES: dict[str, tuple[str, ...]] = {
    "bibliotheques": (
        "julien.tanguy", "nolwenn.guillou", "sophie.lebihan", "bastien.coquelin",
        "mathieu.quere", "claire.morvan", "gaelle.riou",
    ),
    "licences": (
        "marie.lemoine", "helene.jaouen", "camille.rault", "karim.benali", "gaelle.riou",
        "erwan.piriou", "claire.morvan",
    ),
    "community": (
        "bastien.coquelin", "mathieu.quere", "julien.tanguy", "camille.rault", "ines.ferreira",
        "nolwenn.guillou",
    ),
    "musees": (
        "thomas.berthelot", "ines.ferreira", "mathieu.quere", "helene.jaouen", "lucie.hamon",
        "erwan.piriou",
    ),
    "mobile": ("karim.benali", "lucie.hamon", "thomas.berthelot", "julien.tanguy"),
    "veille": (
        "anne-laure.kervella", "elodie.marchand", "claire.morvan", "sophie.lebihan",
        "fatou.diallo", "gaelle.riou",
    ),
    "archives": ("helene.jaouen", "vincent.lhermitte", "erwan.piriou", "lucie.hamon"),
    "education": ("nolwenn.guillou", "pierre-yves.ledu", "fatou.diallo", "sophie.lebihan"),
    "web": ("karim.benali", "sophie.lebihan", "camille.rault", "mathieu.quere"),
}  # fmt: skip


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    site: str
    description: str
    tags: tuple[str, ...]
    theme: str
    note: str = ""  # what the first member to keep it wrote


PAGES = [
    # --- Social networks in libraries ---------------------------------------------------------
    Page(
        "https://fr.wikipedia.org/wiki/Biblioth%C3%A8que_2.0",
        "Bibliothèque 2.0 (Wikipédia)",
        "Wikipédia",
        "L’article de Wikipédia sur la bibliothèque qui s’ouvre à la participation des usagers.",
        ("bibliothèques", "web 2.0", "Wikipédia"),
        "bibliotheques",
        "Une bonne définition à donner aux collègues qui demandent « c’est quoi, le 2.0 ? ».",
    ),
    Page(
        "https://www.bpi.fr/",
        "Bibliothèque publique d’information",
        "Bpi",
        "La Bpi, au Centre Pompidou : ses ressources professionnelles et ses comptes en ligne.",
        ("bibliothèques", "réseaux sociaux"),
        "bibliotheques",
    ),
    Page(
        "https://www.bm-lyon.fr/",
        "Bibliothèque municipale de Lyon",
        "BM Lyon",
        "Une grande bibliothèque municipale qui publie beaucoup en ligne, du Guichet du savoir "
        "à ses comptes sur les réseaux.",
        ("bibliothèques", "réseaux sociaux", "médiation numérique"),
        "bibliotheques",
        "Regarder comment ils répondent aux questions des usagers en ligne.",
    ),
    Page(
        "https://www.leschampslibres.fr/",
        "Les Champs Libres",
        "Les Champs Libres",
        "L’équipement culturel rennais qui réunit bibliothèque, musée et espace des sciences.",
        ("bibliothèques", "musées", "Rennes"),
        "bibliotheques",
    ),
    Page(
        "https://bu.univ-rennes2.fr/",
        "Les bibliothèques de Rennes 2",
        "Université Rennes 2",
        "Le site des BU de Rennes 2, dont le blog a été cité en exemple à l’atelier.",
        ("bibliothèques", "blog", "projets réussis"),
        "bibliotheques",
        "Cité à l’atelier du 26 mars comme projet réussi.",
    ),
    Page(
        "https://www.facebook.com/",
        "Facebook",
        "Facebook",
        "Le réseau où beaucoup de bibliothèques ont ouvert leur première page.",
        ("Facebook", "réseaux sociaux"),
        "bibliotheques",
    ),
    Page(
        "https://twitter.com/",
        "Twitter",
        "Twitter",
        "Messages courts, veille en direct, conversations avec les usagers.",
        ("Twitter", "réseaux sociaux"),
        "bibliotheques",
    ),
    Page(
        "https://www.pinterest.com/",
        "Pinterest",
        "Pinterest",
        "Des tableaux d’images : nouveautés, bibliographies illustrées, coups de cœur.",
        ("Pinterest", "réseaux sociaux", "valorisation des collections"),
        "bibliotheques",
    ),
    Page(
        "https://www.instagram.com/",
        "Instagram",
        "Instagram",
        "Photos prises sur le vif : les coulisses, les animations, les lieux.",
        ("Instagram", "réseaux sociaux", "photographie"),
        "bibliotheques",
    ),
    Page(
        "https://bibliotheques-connectees.example.org/2013/03/premiere-page-facebook",
        "Ouvrir la page Facebook de sa bibliothèque : le récit d’une première année",
        "Bibliothèques connectées",
        "Une bibliothécaire raconte la première année de la page de sa médiathèque : les "
        "hésitations de la direction, les premiers messages, ce qui a fait réagir.",
        ("Facebook", "bibliothèques", "retour d’expérience"),
        "bibliotheques",
        "Très proche de ce qu’on vit à la Canopée.",
    ),
    Page(
        "https://bibliotheques-connectees.example.org/2013/09/rythme-de-publication",
        "À quel rythme publier sur la page d’une bibliothèque ?",
        "Bibliothèques connectées",
        "Trois publications par semaine, régulières, valent mieux qu’une rafale suivie d’un "
        "silence : chiffres à l’appui.",
        ("Facebook", "bibliothèques", "bonnes pratiques"),
        "bibliotheques",
        "Répond à la question posée à l’atelier sur la fréquence des posts.",
    ),
    Page(
        "https://bibliotheques-connectees.example.org/2014/02/ton-des-messages",
        "Sérieux ou drôle ? Trouver le ton d’une bibliothèque en ligne",
        "Bibliothèques connectées",
        "Le ton de l’accueil, transposé en ligne : exemples de messages qui ont marché et "
        "d’autres qui sont tombés à plat.",
        ("Facebook", "bibliothèques", "bonnes pratiques", "ton"),
        "bibliotheques",
    ),
    Page(
        "https://cdi-en-ligne.example.org/page-facebook-du-cdi",
        "Une page Facebook pour le CDI : mode d’emploi",
        "CDI en ligne",
        "Une documentaliste explique comment elle a convaincu sa direction, et comment elle "
        "gère les commentaires des élèves.",
        ("Facebook", "CDI", "éducation aux médias", "retour d’expérience"),
        "bibliotheques",
    ),
    Page(
        "https://bibliotheques-connectees.example.org/2014/05/reticences-des-collegues",
        "« Ce n’est pas mon métier » : répondre aux réticences des collègues",
        "Bibliothèques connectées",
        "Les objections les plus fréquentes face aux réseaux sociaux, et des réponses qui "
        "partent du métier de chacun.",
        ("réseaux sociaux", "bibliothèques", "freins", "formation"),
        "bibliotheques",
        "Le sujet même de notre premier atelier.",
    ),
    Page(
        "https://www.abf.asso.fr/",
        "Association des bibliothécaires de France",
        "ABF",
        "L’association professionnelle : congrès, formations, groupes régionaux.",
        ("bibliothèques", "association", "formation"),
        "bibliotheques",
    ),
    Page(
        "https://www.enssib.fr/",
        "Enssib",
        "Enssib",
        "L’école des bibliothécaires : bibliothèque numérique, mémoires, ressources en ligne.",
        ("bibliothèques", "formation", "ressources professionnelles"),
        "bibliotheques",
    ),
    Page(
        "https://bbf.enssib.fr/",
        "Bulletin des bibliothèques de France",
        "BBF",
        "La revue professionnelle, en accès libre, avec ses dossiers sur le numérique.",
        ("bibliothèques", "revue", "ressources professionnelles"),
        "bibliotheques",
    ),
    Page(
        "https://www.ifla.org/",
        "IFLA",
        "IFLA",
        "La fédération internationale des associations de bibliothécaires.",
        ("bibliothèques", "international"),
        "bibliotheques",
    ),
    # --- Creative Commons, free licences, public domain ----------------------------------------
    Page(
        "https://creativecommons.org/",
        "Creative Commons",
        "Creative Commons",
        "L’organisation qui publie les licences Creative Commons, avec ses guides.",
        ("Creative Commons", "licences libres"),
        "licences",
    ),
    Page(
        "https://creativecommons.org/licenses/by/4.0/deed.fr",
        "Licence CC BY 4.0 : le résumé en français",
        "Creative Commons",
        "Le résumé lisible de la licence Attribution 4.0 : partager et adapter en citant.",
        ("Creative Commons", "licences libres", "CC BY"),
        "licences",
        "La version 4.0 est sortie fin 2013 : à utiliser pour nos comptes-rendus.",
    ),
    Page(
        "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        "Licence CC BY-SA 4.0 : le résumé en français",
        "Creative Commons",
        "Attribution et partage dans les mêmes conditions : la licence de Wikipédia.",
        ("Creative Commons", "licences libres", "CC BY-SA"),
        "licences",
    ),
    Page(
        "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
        "CC0 : renoncer à ses droits",
        "Creative Commons",
        "L’outil pour placer une œuvre aussi près que possible du domaine public.",
        ("Creative Commons", "domaine public", "CC0"),
        "licences",
    ),
    Page(
        "https://creativecommons.org/choose/",
        "Choisir sa licence Creative Commons",
        "Creative Commons",
        "Deux questions et la licence qui va avec, avec le code à coller sous sa photo.",
        ("Creative Commons", "licences libres", "outils"),
        "licences",
        "À montrer aux photographes amateurs de l’équipe.",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Creative_Commons",
        "Creative Commons (Wikipédia)",
        "Wikipédia",
        "Histoire et principes des licences Creative Commons.",
        ("Creative Commons", "Wikipédia"),
        "licences",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Licence_libre",
        "Licence libre (Wikipédia)",
        "Wikipédia",
        "Ce qui fait qu’une licence est libre, et les grandes familles de licences.",
        ("licences libres", "Wikipédia"),
        "licences",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Licence_Art_libre",
        "Licence Art libre (Wikipédia)",
        "Wikipédia",
        "Une licence libre née en France, pensée pour les œuvres artistiques.",
        ("licences libres", "art", "Wikipédia"),
        "licences",
    ),
    Page(
        "https://www.flickr.com/commons",
        "Flickr : The Commons",
        "Flickr",
        "Des institutions du monde entier partagent leurs photographies sans restriction de "
        "droits connue.",
        ("Flickr", "domaine public", "photographie", "archives"),
        "licences",
        "Exemple parfait pour les archives : regarder comment ils légendent.",
    ),
    Page(
        "https://www.flickr.com/",
        "Flickr",
        "Flickr",
        "Le site de partage de photos, avec le choix d’une licence pour chaque image.",
        ("Flickr", "photographie", "licences libres"),
        "licences",
    ),
    Page(
        "https://commons.wikimedia.org/",
        "Wikimedia Commons",
        "Wikimedia Commons",
        "Des millions d’images et de sons sous licence libre, réutilisables.",
        ("Wikimedia Commons", "licences libres", "images"),
        "licences",
    ),
    Page(
        "https://www.wikimedia.fr/",
        "Wikimédia France",
        "Wikimédia France",
        "L’association qui accompagne les institutions culturelles qui partagent leurs "
        "collections.",
        ("Wikipédia", "partenariats", "institutions culturelles"),
        "licences",
    ),
    Page(
        "https://framasoft.org/",
        "Framasoft",
        "Framasoft",
        "Le réseau d’éducation populaire qui promeut les logiciels et la culture libres.",
        ("logiciels libres", "culture libre"),
        "licences",
    ),
    Page(
        "https://www.april.org/",
        "April",
        "April",
        "L’association de promotion et de défense du logiciel libre.",
        ("logiciels libres", "association"),
        "licences",
    ),
    Page(
        "https://licences-en-pratique.example.org/citer-une-photo-cc",
        "Comment citer une photo sous Creative Commons",
        "Licences en pratique",
        "Titre, auteur, source, licence : la règle « TASL » illustrée d’exemples sur un blog, "
        "une affiche et une page Facebook.",
        ("Creative Commons", "bonnes pratiques", "photographie"),
        "licences",
        "La fiche à imprimer pour l’atelier photo.",
    ),
    Page(
        "https://licences-en-pratique.example.org/domaine-public-numerise",
        "Le domaine public numérisé doit rester dans le domaine public",
        "Licences en pratique",
        "Pourquoi ajouter des conditions à la réutilisation d’œuvres anciennes numérisées "
        "dessert les institutions elles-mêmes.",
        ("domaine public", "numérisation", "open data"),
        "licences",
    ),
    Page(
        "https://www.data.gouv.fr/",
        "data.gouv.fr",
        "data.gouv.fr",
        "La plateforme des données publiques ouvertes.",
        ("open data", "données publiques"),
        "licences",
    ),
    # --- Community management ------------------------------------------------------------------
    Page(
        "https://fr.wikipedia.org/wiki/Community_manager",
        "Community manager (Wikipédia)",
        "Wikipédia",
        "Le métier d’animateur de communauté en ligne, ses missions et ses outils.",
        ("community management", "métiers", "Wikipédia"),
        "community",
    ),
    Page(
        "https://animer-sa-communaute.example.org/charte-editoriale",
        "Écrire une charte éditoriale en une page",
        "Animer sa communauté",
        "Qui parle, à qui, sur quel ton, à quel rythme : le modèle d’une charte éditoriale "
        "courte, à adapter.",
        ("community management", "charte", "stratégie"),
        "community",
        "Le modèle le plus simple que j’ai trouvé.",
    ),
    Page(
        "https://animer-sa-communaute.example.org/calendrier-editorial",
        "Un calendrier éditorial dans un tableur",
        "Animer sa communauté",
        "Planifier ses publications semaine par semaine, sans outil payant.",
        ("community management", "planification", "outils"),
        "community",
    ),
    Page(
        "https://animer-sa-communaute.example.org/repondre-aux-critiques",
        "Répondre aux critiques en public",
        "Animer sa communauté",
        "Remercier, répondre vite, passer en message privé quand il le faut : la méthode en "
        "cinq étapes.",
        ("community management", "modération", "bonnes pratiques"),
        "community",
        "Pour le jour où un usager mécontent écrit sur la page.",
    ),
    Page(
        "https://animer-sa-communaute.example.org/statistiques-utiles",
        "Quelles statistiques regarder (et lesquelles ignorer)",
        "Animer sa communauté",
        "Portée, interactions, clics : ce que disent les chiffres des pages, une fois par "
        "mois, pas tous les jours.",
        ("community management", "statistiques", "évaluation"),
        "community",
    ),
    Page(
        "https://animer-sa-communaute.example.org/institution-qui-converse",
        "L’institution qui converse : sortir de la communication descendante",
        "Animer sa communauté",
        "Pourquoi les réseaux demandent une parole agile, et comment l’organiser sans tout "
        "faire valider.",
        ("community management", "institutions", "stratégie", "conversation"),
        "community",
        "Exactement le débat de l’atelier.",
    ),
    Page(
        "https://animer-sa-communaute.example.org/comptes-personnels-des-agents",
        "Les comptes personnels des agents : un atout pour l’institution",
        "Animer sa communauté",
        "Plusieurs voix, chacune sur ce qu’elle connaît le mieux : retours d’établissements "
        "qui encouragent leurs agents à publier.",
        ("community management", "voix des agents", "devoir de réserve"),
        "community",
    ),
    Page(
        "https://www.hootsuite.com/",
        "Hootsuite",
        "Hootsuite",
        "Un tableau de bord pour publier sur plusieurs réseaux et suivre les réponses.",
        ("community management", "outils", "planification"),
        "community",
    ),
    Page(
        "https://buffer.com/",
        "Buffer",
        "Buffer",
        "Programmer ses publications sur les réseaux, simplement.",
        ("community management", "outils", "planification"),
        "community",
    ),
    Page(
        "https://www.canva.com/",
        "Canva",
        "Canva",
        "Composer des visuels pour les réseaux sans logiciel de mise en page.",
        ("community management", "outils", "visuels"),
        "community",
    ),
    Page(
        "https://www.slideshare.net/",
        "SlideShare",
        "SlideShare",
        "Des présentations partagées : beaucoup de supports de formation au community management.",
        ("formation", "présentations"),
        "community",
    ),
    Page(
        "https://www.cnil.fr/",
        "CNIL",
        "CNIL",
        "Données personnelles : ce qu’il faut savoir avant de publier des photos d’usagers.",
        ("données personnelles", "droit", "réseaux sociaux"),
        "community",
    ),
    Page(
        "https://www.legifrance.gouv.fr/",
        "Légifrance",
        "Légifrance",
        "Les textes officiels, dont ceux qui encadrent l’expression des agents publics.",
        ("droit", "devoir de réserve"),
        "community",
    ),
    # --- Museums online ------------------------------------------------------------------------
    Page(
        "https://www.museum.toulouse.fr/",
        "Muséum de Toulouse",
        "Muséum de Toulouse",
        "Le muséum d’histoire naturelle qui a encouragé ses agents à parler en leur nom sur "
        "les réseaux.",
        ("musées", "réseaux sociaux", "projets réussis", "voix des agents"),
        "musees",
        "L’exemple cité à l’atelier : les squelettes qui parlent.",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Mus%C3%A9um_de_Toulouse",
        "Muséum de Toulouse (Wikipédia)",
        "Wikipédia",
        "Histoire et collections du muséum.",
        ("musées", "Wikipédia"),
        "musees",
    ),
    Page(
        "https://www.europeana.eu/",
        "Europeana",
        "Europeana",
        "Les collections numérisées des bibliothèques, archives et musées européens.",
        ("musées", "patrimoine numérisé", "Europe"),
        "musees",
    ),
    Page(
        "https://artsandculture.google.com/",
        "Google Arts & Culture",
        "Google Arts & Culture",
        "Visites virtuelles et œuvres en très haute définition, en partenariat avec des musées.",
        ("musées", "visite virtuelle"),
        "musees",
    ),
    Page(
        "https://www.rijksmuseum.nl/",
        "Rijksmuseum",
        "Rijksmuseum",
        "Le musée d’Amsterdam qui a ouvert ses images en haute définition à la réutilisation.",
        ("musées", "open data", "domaine public"),
        "musees",
        "Le modèle à citer quand on parle d’ouvrir les collections.",
    ),
    Page(
        "https://www.metmuseum.org/",
        "The Metropolitan Museum of Art",
        "The Met",
        "Collections en ligne, articles et vidéos d’un grand musée.",
        ("musées", "collections en ligne"),
        "musees",
    ),
    Page(
        "https://www.louvre.fr/",
        "Musée du Louvre",
        "Louvre",
        "Le site du Louvre et ses parcours en ligne.",
        ("musées", "collections en ligne"),
        "musees",
    ),
    Page(
        "https://www.centrepompidou.fr/",
        "Centre Pompidou",
        "Centre Pompidou",
        "Art moderne et contemporain, programmes et ressources en ligne.",
        ("musées", "art contemporain"),
        "musees",
    ),
    Page(
        "https://www.britishmuseum.org/",
        "British Museum",
        "British Museum",
        "Collections en ligne et blog du musée.",
        ("musées", "blog"),
        "musees",
    ),
    Page(
        "https://musees-en-ligne.example.org/2013/06/live-tweet-visite",
        "Raconter une visite en direct sur Twitter",
        "Musées en ligne",
        "Une médiatrice a suivi un groupe dans les salles et raconté la visite en direct : "
        "préparation, photos, réponses aux questions.",
        ("musées", "Twitter", "médiation numérique", "retour d’expérience"),
        "musees",
    ),
    Page(
        "https://musees-en-ligne.example.org/2014/01/museomix",
        "Trois jours pour réinventer un musée",
        "Musées en ligne",
        "Un marathon créatif où des équipes mêlées inventent des dispositifs de médiation "
        "dans un musée.",
        ("musées", "médiation numérique", "innovation"),
        "musees",
    ),
    Page(
        "https://musees-en-ligne.example.org/2014/04/coulisses-des-reserves",
        "Ouvrir les réserves en ligne : les coulisses comme contenu",
        "Musées en ligne",
        "Restauration, montage, arrivée des œuvres : les coulisses intéressent plus qu’une "
        "affiche.",
        ("musées", "réseaux sociaux", "coulisses"),
        "musees",
        "Idée pour la page du Musée de la Vilaine.",
    ),
    Page(
        "https://musees-en-ligne.example.org/2014/09/instagram-au-musee",
        "Autoriser les photos dans les salles",
        "Musées en ligne",
        "Des musées lèvent l’interdiction de photographier : les visiteurs deviennent des relais.",
        ("musées", "Instagram", "photographie", "publics"),
        "musees",
    ),
    Page(
        "https://www.culture.gouv.fr/",
        "Ministère de la Culture",
        "Ministère de la Culture",
        "Politiques culturelles, appels à projets numériques, ressources.",
        ("institutions culturelles", "politiques publiques"),
        "musees",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/M%C3%A9diation_culturelle",
        "Médiation culturelle (Wikipédia)",
        "Wikipédia",
        "Les métiers et les méthodes de la médiation culturelle.",
        ("médiation culturelle", "Wikipédia"),
        "musees",
    ),
    # --- Mobile --------------------------------------------------------------------------------
    Page(
        "https://fr.wikipedia.org/wiki/Application_mobile",
        "Application mobile (Wikipédia)",
        "Wikipédia",
        "Ce qu’est une application mobile, et ce qui la distingue d’un site adapté.",
        ("mobile", "Wikipédia"),
        "mobile",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Code_QR",
        "Code QR (Wikipédia)",
        "Wikipédia",
        "Le code à flasher : utile pour relier une étagère ou une œuvre à une page.",
        ("mobile", "QR code", "Wikipédia"),
        "mobile",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/R%C3%A9alit%C3%A9_augment%C3%A9e",
        "Réalité augmentée (Wikipédia)",
        "Wikipédia",
        "Superposer des informations à ce que montre la caméra du téléphone.",
        ("mobile", "réalité augmentée", "Wikipédia"),
        "mobile",
    ),
    Page(
        "https://mobile-et-culture.example.org/2013/11/site-adapte-ou-application",
        "Site adapté ou application : que choisir pour une bibliothèque ?",
        "Mobile et culture",
        "Un site qui s’adapte à l’écran suffit souvent ; une application se justifie pour un "
        "usage précis et fréquent.",
        ("mobile", "bibliothèques", "responsive design"),
        "mobile",
        "Argumentaire utile avant de dépenser le budget dans une appli.",
    ),
    Page(
        "https://mobile-et-culture.example.org/2014/03/parcours-audio",
        "Un parcours audio sur téléphone pour une exposition",
        "Mobile et culture",
        "Enregistrer les commentaires des médiateurs et les rendre accessibles par QR code.",
        ("mobile", "musées", "audioguide", "QR code"),
        "mobile",
    ),
    Page(
        "https://mobile-et-culture.example.org/2014/06/catalogue-sur-mobile",
        "Consulter le catalogue depuis son téléphone",
        "Mobile et culture",
        "Ce que les lecteurs cherchent vraiment sur mobile : horaires, compte lecteur, "
        "réservations.",
        ("mobile", "bibliothèques", "catalogue"),
        "mobile",
    ),
    Page(
        "https://www.openstreetmap.org/",
        "OpenStreetMap",
        "OpenStreetMap",
        "La carte libre et collaborative, pour situer ses établissements sans dépendre d’un "
        "service commercial.",
        ("cartographie", "logiciels libres", "open data"),
        "mobile",
    ),
    Page(
        "https://www.w3.org/WAI/",
        "W3C — Web Accessibility Initiative",
        "W3C",
        "Les ressources du W3C pour rendre le web accessible à tous.",
        ("accessibilité", "web"),
        "web",
    ),
    Page(
        "https://www.w3.org/TR/WCAG21/",
        "WCAG 2.1",
        "W3C",
        "Les règles pour l’accessibilité des contenus web.",
        ("accessibilité", "web", "normes"),
        "web",
        "Le texte de référence, à garder sous la main.",
    ),
    Page(
        "https://wordpress.org/",
        "WordPress",
        "WordPress",
        "Le logiciel libre de blog et de site web le plus répandu.",
        ("WordPress", "blog", "logiciels libres"),
        "web",
    ),
    Page(
        "https://fr.wordpress.org/",
        "WordPress en français",
        "WordPress",
        "Documentation et communauté francophone de WordPress.",
        ("WordPress", "blog"),
        "web",
    ),
    Page(
        "https://docarennes.wordpress.com/",
        "Le blog de Doc@Rennes",
        "Doc@Rennes",
        "Le blog du collectif, où a été publié le compte-rendu du premier atelier.",
        ("Doc@Rennes", "blog", "compte-rendu"),
        "web",
    ),
    Page(
        "https://www.a-brest.net/",
        "a-brest",
        "a-brest",
        "Le site brestois de l’internet citoyen, qui republie des articles sous licence libre.",
        ("internet citoyen", "licences libres", "Bretagne"),
        "web",
    ),
    Page(
        "https://www.mozilla.org/",
        "Mozilla",
        "Mozilla",
        "Firefox et les actions de Mozilla pour un web ouvert.",
        ("logiciels libres", "web"),
        "web",
    ),
    Page(
        "https://blog-de-bu.example.org/2014/01/lancer-un-blog-de-bu",
        "Lancer le blog d’une BU : six mois après",
        "Blog de BU",
        "Qui écrit, à quelle fréquence, comment on choisit les sujets : le bilan sincère "
        "d’une équipe.",
        ("blog", "bibliothèques", "retour d’expérience"),
        "web",
    ),
    Page(
        "https://blog-de-bu.example.org/2014/10/galerie-et-stagiaire",
        "Le blog d’une galerie, né d’un stage",
        "Blog de BU",
        "Une stagiaire ouvre le blog d’une galerie associative ; deux ans plus tard, toute "
        "l’équipe y écrit.",
        ("blog", "art contemporain", "projets réussis"),
        "web",
    ),
    # --- Watch tools ---------------------------------------------------------------------------
    Page(
        "https://fr.wikipedia.org/wiki/Delicious_(site_web)",
        "Delicious (Wikipédia)",
        "Wikipédia",
        "L’histoire du premier grand service de signets partagés.",
        ("signets partagés", "Delicious", "veille"),
        "veille",
        "Là où tout a commencé pour moi, après le tableur.",
    ),
    Page(
        "https://pinboard.in/",
        "Pinboard",
        "Pinboard",
        "Signets partagés, sobres et payants, sans publicité.",
        ("signets partagés", "veille", "outils de veille"),
        "veille",
    ),
    Page(
        "https://www.diigo.com/",
        "Diigo",
        "Diigo",
        "Signets, surlignage et annotations partagés en groupe.",
        ("signets partagés", "veille", "outils de veille"),
        "veille",
        "Les groupes Diigo : une piste pour la veille du réseau.",
    ),
    Page(
        "https://www.pearltrees.com/",
        "Pearltrees",
        "Pearltrees",
        "Organiser ses liens en arbres visuels et les partager.",
        ("signets partagés", "curation", "outils de veille"),
        "veille",
    ),
    Page(
        "https://www.scoop.it/",
        "Scoop.it",
        "Scoop.it",
        "Publier une revue de presse thématique à partir de sa veille.",
        ("curation", "veille", "outils de veille"),
        "veille",
    ),
    Page(
        "https://feedly.com/",
        "Feedly",
        "Feedly",
        "Un lecteur de flux RSS qui a accueilli beaucoup d’orphelins de Google Reader.",
        ("RSS", "veille", "outils de veille"),
        "veille",
        "Migration faite le jour de l’annonce de la fermeture de Google Reader.",
    ),
    Page(
        "https://www.netvibes.com/",
        "Netvibes",
        "Netvibes",
        "Des tableaux de bord de flux, publics ou privés.",
        ("RSS", "veille", "tableau de bord"),
        "veille",
    ),
    Page(
        "https://www.inoreader.com/",
        "Inoreader",
        "Inoreader",
        "Un lecteur de flux avec des règles et des filtres.",
        ("RSS", "veille", "outils de veille"),
        "veille",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/RSS",
        "RSS (Wikipédia)",
        "Wikipédia",
        "Le format de syndication qui fait tenir une veille dans un seul lecteur.",
        ("RSS", "Wikipédia", "veille"),
        "veille",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Folksonomie",
        "Folksonomie (Wikipédia)",
        "Wikipédia",
        "Le classement par mots-clés libres, choisis par les usagers eux-mêmes.",
        ("folksonomie", "indexation", "Wikipédia"),
        "veille",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Veille_strat%C3%A9gique",
        "Veille stratégique (Wikipédia)",
        "Wikipédia",
        "Les étapes et les méthodes de la veille.",
        ("veille", "méthodologie", "Wikipédia"),
        "veille",
    ),
    Page(
        "https://www.zotero.org/",
        "Zotero",
        "Zotero",
        "Le logiciel libre pour collecter et citer ses références.",
        ("Zotero", "bibliographie", "logiciels libres"),
        "veille",
    ),
    Page(
        "https://www.archimag.com/",
        "Archimag",
        "Archimag",
        "Le magazine des professionnels de l’information et des archives.",
        ("revue", "veille", "archives"),
        "veille",
    ),
    Page(
        "https://outils-de-veille.example.org/2013/04/du-tableur-aux-signets",
        "Du tableur aux signets partagés",
        "Outils de veille",
        "Passer d’une veille tenue dans un tableur à des signets partagés et étiquetés : "
        "pas à pas, sans rien perdre.",
        ("veille", "signets partagés", "tableur"),
        "veille",
        "À faire lire à toutes celles qui tiennent leur veille dans Excel.",
    ),
    Page(
        "https://outils-de-veille.example.org/2013/07/apres-google-reader",
        "Après Google Reader : comparatif des lecteurs de flux",
        "Outils de veille",
        "Cinq lecteurs de flux essayés pendant un mois : import OPML, lecture mobile, partage.",
        ("RSS", "veille", "comparatif"),
        "veille",
    ),
    Page(
        "https://outils-de-veille.example.org/2014/02/veille-en-equipe",
        "Organiser une veille à plusieurs",
        "Outils de veille",
        "Se répartir les sources, s’entendre sur les mots-clés, partager sans noyer les collègues.",
        ("veille", "travail collaboratif", "méthodologie"),
        "veille",
    ),
    Page(
        "https://outils-de-veille.example.org/2014/11/mots-cles-communs",
        "Des mots-clés communs pour une veille partagée",
        "Outils de veille",
        "Pourquoi un petit vocabulaire commun vaut mieux que des centaines d’étiquettes.",
        ("veille", "folksonomie", "indexation"),
        "veille",
    ),
    # --- Archives and heritage -----------------------------------------------------------------
    Page(
        "https://gallica.bnf.fr/",
        "Gallica",
        "BnF",
        "La bibliothèque numérique de la BnF et de ses partenaires.",
        ("bibliothèque numérique", "patrimoine numérisé", "BnF"),
        "archives",
    ),
    Page(
        "https://www.bnf.fr/",
        "Bibliothèque nationale de France",
        "BnF",
        "Le site de la BnF : collections, services aux professionnels.",
        ("bibliothèques", "BnF"),
        "archives",
    ),
    Page(
        "https://francearchives.gouv.fr/",
        "FranceArchives",
        "FranceArchives",
        "Le portail national des archives.",
        ("archives", "portail"),
        "archives",
    ),
    Page(
        "https://archive.org/",
        "Internet Archive",
        "Internet Archive",
        "L’archive du web et une immense bibliothèque numérique.",
        ("archives", "archivage du web", "bibliothèque numérique"),
        "archives",
    ),
    Page(
        "https://archives-participatives.example.org/2014/05/indexation-collaborative",
        "Indexation collaborative : quand les internautes annotent les registres",
        "Archives participatives",
        "Des services d’archives confient l’indexation de leurs registres numérisés à des "
        "bénévoles en ligne.",
        ("archives", "indexation", "participation", "numérisation"),
        "archives",
        "Pour notre projet de registres paroissiaux.",
    ),
    Page(
        "https://archives-participatives.example.org/2013/10/archives-sur-flickr",
        "Des archives municipales sur Flickr",
        "Archives participatives",
        "Publier des photos anciennes et laisser les habitants identifier les lieux.",
        ("archives", "Flickr", "participation", "photographie"),
        "archives",
    ),
    Page(
        "https://fr.wikipedia.org/wiki/Humanit%C3%A9s_num%C3%A9riques",
        "Humanités numériques (Wikipédia)",
        "Wikipédia",
        "Quand les sciences humaines travaillent avec les outils numériques.",
        ("humanités numériques", "Wikipédia"),
        "archives",
    ),
    # --- Media literacy ------------------------------------------------------------------------
    Page(
        "https://www.clemi.fr/",
        "CLEMI",
        "CLEMI",
        "Le centre pour l’éducation aux médias et à l’information.",
        ("éducation aux médias", "EMI"),
        "education",
    ),
    Page(
        "https://eduscol.education.fr/",
        "Éduscol",
        "Éduscol",
        "Ressources pédagogiques du ministère de l’Éducation nationale.",
        ("éducation", "ressources pédagogiques"),
        "education",
    ),
    Page(
        "https://www.reseau-canope.fr/",
        "Réseau Canopé",
        "Réseau Canopé",
        "Ressources et formations pour les enseignants et les documentalistes.",
        ("éducation", "formation", "ressources pédagogiques"),
        "education",
    ),
    Page(
        "https://cdi-en-ligne.example.org/identite-numerique-eleves",
        "Identité numérique : une séance avec des élèves de seconde",
        "CDI en ligne",
        "Ce que l’on trouve sur soi en ligne, et comment le maîtriser : déroulé de séance.",
        ("éducation aux médias", "identité numérique", "CDI"),
        "education",
        "Séance testée avec une classe de seconde : ça marche.",
    ),
    Page(
        "https://cdi-en-ligne.example.org/verifier-une-image",
        "Vérifier une image avant de la partager",
        "CDI en ligne",
        "Recherche inversée, date, source : un atelier sur les images détournées.",
        ("éducation aux médias", "images", "vérification"),
        "education",
    ),
]

# The two lists: (title, slug, owner, network?, description, [(url, note)]).
COMMUNITY_LIST = (
    "Ressources pour community managers",
    COMMUNITY_LIST_SLUG,
    "bastien.coquelin",
    False,
    """\
Ce que je conseille de lire avant d’ouvrir ou de reprendre la page d’un établissement : \
une charte, un calendrier, des réponses toutes prêtes aux critiques, et quelques outils \
gratuits. Suggestions bienvenues sur la liste de diffusion.

Dans l’ordre : **d’abord la stratégie**, ensuite les outils.""",
    [
        (
            "https://animer-sa-communaute.example.org/institution-qui-converse",
            "Pour commencer : pourquoi converser plutôt qu’annoncer.",
        ),
        ("https://animer-sa-communaute.example.org/charte-editoriale", "Une page suffit."),
        ("https://animer-sa-communaute.example.org/calendrier-editorial", ""),
        (
            "https://bibliotheques-connectees.example.org/2013/09/rythme-de-publication",
            "La réponse chiffrée à « combien de posts par semaine ? ».",
        ),
        ("https://bibliotheques-connectees.example.org/2014/02/ton-des-messages", ""),
        (
            "https://animer-sa-communaute.example.org/repondre-aux-critiques",
            "À relire le jour où ça arrive.",
        ),
        ("https://animer-sa-communaute.example.org/statistiques-utiles", ""),
        ("https://www.canva.com/", "Pour les visuels, sans graphiste."),
        ("https://buffer.com/", ""),
        ("https://www.cnil.fr/", "Avant de publier des photos d’usagers."),
    ],
)

WORKSHOP_LIST = (
    "Liens pour aller plus loin — atelier du 26 mars 2014",
    WORKSHOP_LIST_SLUG,
    "claire.morvan",
    True,
    """\
Les pages citées pendant le premier atelier du réseau, le 26 mars 2014 (« comment gérer les \
réticences institutionnelles dans une démarche d’ouverture aux réseaux ? »), et celles que \
vous avez suggérées depuis. Le compte-rendu est dans les articles du réseau.""",
    [
        (
            "https://www.museum.toulouse.fr/",
            "Les agents qui parlent en leur nom, et les squelettes qui parlent.",
        ),
        ("https://bu.univ-rennes2.fr/", "Le blog de la BU, cité comme projet réussi."),
        (
            "https://bibliotheques-connectees.example.org/2014/05/reticences-des-collegues",
            "Les freins dont nous avons parlé, et des réponses.",
        ),
        (
            "https://outils-de-veille.example.org/2013/04/du-tableur-aux-signets",
            "L’exemple de la veille tenue dans un tableur.",
        ),
        ("https://fr.wikipedia.org/wiki/Delicious_(site_web)", ""),
        ("https://www.flickr.com/", "Pour qui aime la photo : Flickr et les licences libres."),
        ("https://creativecommons.org/choose/", ""),
        (
            "https://animer-sa-communaute.example.org/comptes-personnels-des-agents",
            "Valider de ne pas tout valider.",
        ),
        ("https://fr.wikipedia.org/wiki/Community_manager", ""),
        ("https://docarennes.wordpress.com/", "Le compte-rendu d’origine."),
    ],
)

START = datetime(2013, 1, 7, 9, 0, tzinfo=PARIS)
LISTS_UPDATED_AT = datetime(2014, 5, 14, 17, 45, tzinfo=PARIS)
END = datetime(2014, 12, 19, 18, 0, tzinfo=PARIS)
SEED = 26032014


@dataclass(frozen=True)
class PlannedBookmark:
    page: Page
    owner: str
    created_at: datetime
    visibility: str
    to_read: bool
    source: str
    note: str
    title: str


def _joined() -> dict[str, datetime]:
    return {
        member.email_local_part: datetime(*member.joined, 18, 30, tzinfo=PARIS)
        for member in members_demo.MEMBERS
    }


def plan() -> list[PlannedBookmark]:
    """Who keeps which page, when and how: the same every time (a seeded generator)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo choices, not secrets
    joined = _joined()
    listed = {url for url, _note in [*COMMUNITY_LIST[5], *WORKSHOP_LIST[5]]}
    planned: list[PlannedBookmark] = []
    span = (END - START).total_seconds()
    for page in PAGES:
        keepers = THEMES[page.theme]
        count = rng.choice((1, 1, 2, 2, 2, 3))
        for index, owner in enumerate(rng.sample(keepers, min(count, len(keepers)))):
            created = START + timedelta(seconds=rng.random() * span)
            created = created.replace(second=0, microsecond=0)
            first = index == 0
            # Pages in the lists are shared by their first keeper, so that the lists show them.
            if first and page.url in listed:
                visibility = Visibility.PUBLIC
            else:
                visibility = rng.choices(
                    (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE), (45, 45, 10)
                )[0]
            to_read = created > datetime(2014, 9, 1, tzinfo=PARIS) and rng.random() < 0.35
            # Kept before joining the network: brought in from Delicious or a browser's export.
            if created < joined.get(owner, START):
                source = BookmarkSource.IMPORT
            else:
                source = rng.choice((BookmarkSource.MANUAL, BookmarkSource.BOOKMARKLET))
            planned.append(
                PlannedBookmark(
                    page=page,
                    owner=owner,
                    created_at=created,
                    visibility=visibility,
                    to_read=to_read,
                    source=source,
                    note=page.note if first else "",
                    # Some keep the page's own title, others write theirs.
                    title=page.title if rng.random() < 0.8 else "",
                )
            )
    return planned


def _save(data: PlannedBookmark, owner: User) -> Bookmark:
    normalised = normalise_url(data.page.url)
    page = data.page
    bookmark, _created = Bookmark.objects.update_or_create(
        owner=owner,
        url_digest=url_digest(normalised),
        defaults={
            "url": page.url,
            "normalised_url": normalised,
            "title": french_spacing(data.title),
            "notes": french_spacing(data.note),
            "visibility": data.visibility,
            "to_read": data.to_read,
            "source": data.source,
            "created_at": data.created_at,
            "updated_at": data.created_at,
            # Read already: the demo never fetches (a short description stands for the page).
            "fetch_status": PageFetchStatus.DONE,
            "fetched_at": data.created_at,
            "fetch_error": "",
            "page_title": french_spacing(page.title),
            "page_description": french_spacing(page.description),
            "page_language": "fr" if "wikipedia" in page.url or ".fr" in page.url else "",
            "site_name": page.site,
        },
    )
    bookmark.tags.set(Tag.objects.for_names(page.tags))
    return bookmark


def _load_list(
    data: tuple[str, str, str, bool, str, list[tuple[str, str]]],
    members: dict[str, User],
    bookmarks: dict[str, list[Bookmark]],
) -> BookmarkList:
    title, slug, owner_key, network, description, entries = data
    owner = members[owner_key]
    bookmark_list, _created = BookmarkList.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "description": french_spacing(description),
            "owner": owner,
            "is_network_list": network,
            "visibility": Visibility.PUBLIC,
            "created_at": datetime(2014, 4, 2, 10, 0, tzinfo=PARIS),
        },
    )
    for position, (url, note) in enumerate(entries):
        kept = bookmarks[url]
        # The list's owner's own bookmark of the page if any, else the first public one.
        bookmark = next(
            (b for b in kept if b.owner_id == owner.pk),
            next((b for b in kept if b.visibility == Visibility.PUBLIC), kept[0]),
        )
        ListItem.objects.update_or_create(
            bookmark_list=bookmark_list,
            bookmark=bookmark,
            defaults={
                "position": position,
                "note": french_spacing(note),
                "added_at": bookmark_list.created_at,
            },
        )
    # updated_at follows every save (auto_now): the demo's lists were last touched in 2014.
    BookmarkList.objects.filter(pk=bookmark_list.pk).update(updated_at=LISTS_UPDATED_AT)
    return bookmark_list


def load_watch() -> str:
    members = members_demo.demo_members()
    bookmarks: dict[str, list[Bookmark]] = {}
    count = 0
    for data in plan():
        owner = members.get(data.owner)
        if owner is None:
            continue
        bookmarks.setdefault(data.page.url, []).append(_save(data, owner))
        count += 1
    lists = [_load_list(data, members, bookmarks) for data in (COMMUNITY_LIST, WORKSHOP_LIST)]
    return _("%(bookmarks)d bookmarks, %(lists)d lists") % {
        "bookmarks": count,
        "lists": len(lists),
    }


register_demo_loader("veille", load_watch, order=50)
