"""Demo: two months of questions from the public to the Musée de la Vilaine (voices' demo
museum), 1 April – 31 May 2014. Routing is the real one (routing.propose on the voices'
expertise and what they answered before, in order), deadlines the real working time (the
space's hours, Easter Monday, 1 and 8 May, Ascension); most questions go straight to the right
voice and are answered within hours, some are passed on, the unclear ones wait for triage. A few
are published with their askers' consent. Names and texts are ours; no email is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.models import Tag
from maillage.core.review import ReviewRecord
from maillage.inbox import routing
from maillage.inbox.deadlines import deadlines_for
from maillage.inbox.models import (
    Absence,
    Answer,
    Assignment,
    Holiday,
    InboxSettings,
    Question,
)
from maillage.members.models import User
from maillage.voices.models import Channel, Space, Voice

PARIS = ZoneInfo("Europe/Paris")
FIRST_DAY = date(2014, 4, 1)  # a Tuesday
ADDRESS = "questions-musee@docarennes.example"
HOLIDAYS = [
    (date(2014, 4, 21), "Lundi de Pâques"),
    (date(2014, 5, 1), "Fête du Travail"),
    (date(2014, 5, 8), "Victoire 1945"),
    (date(2014, 5, 29), "Ascension"),
]
# Yannick is away for a week of fieldwork: his questions go elsewhere meanwhile.
ABSENCE = ("yannick", date(2014, 5, 12), date(2014, 5, 16), "Inventaire de terrain en Brocéliande")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(FIRST_DAY + timedelta(days=day), time(hour, minute), tzinfo=PARIS)


@dataclass(frozen=True)
class Asked:
    """One question and what became of it.

    `plan`: "answer" (by whoever has it), "triage:<voice>" (given out by Anne), "pass:<voice>"
    (passed on by the first voice, a hop), "open" (still waiting), "spam", "close" (no answer
    needed). `hours`: calendar hours to the first answer. `how`: email, public or channel."""

    day: int
    hour: int
    channel: str
    asker: str
    subject: str
    body: str
    plan: str = "answer"
    hours: float = 3
    how: str = "email"
    answer: str = ""
    consent: bool = False
    to: str = ""  # asked on this voice's page


QUESTIONS: list[Asked] = [
    Asked(
        0,
        10,
        "form",
        "Nadia Perrin",
        "Un insecte vert dans mon jardin",
        "J’ai trouvé un insecte vert et brillant sous mes rosiers : pouvez-vous l’identifier ?",
        hours=2.5,
        how="public",
        consent=True,
        answer="D’après votre description, un **carabe doré** (*Carabus auratus*). Il mange "
        "limaces et chenilles : gardez-le, c’est un allié du jardin.",
    ),
    Asked(
        0,
        15,
        "email",
        "Hervé Gicquel",
        "Le squelette de la baleine",
        "Bonjour, comment le squelette de la baleine de la grande galerie tient-il en l’air ?",
        hours=4,
        how="public",
        consent=True,
        answer="Chaque vertèbre est enfilée sur une armature d’acier forgée en 1898, suspendue "
        "à la charpente par six câbles. Nous la vérifions chaque hiver.",
    ),
    Asked(
        1,
        9,
        "form",
        "Claire Roux",
        "Ateliers du mercredi",
        "Proposez-vous des ateliers pour les familles le mercredi après-midi ?",
        hours=2,
        how="public",
        consent=True,
        answer="Oui : « Petites bêtes » (5-7 ans) et « Squelettes en boîte » (8-12 ans), de "
        "14 h 30 à 16 h, sur réservation à l’accueil.",
    ),
    Asked(
        1,
        14,
        "connector",
        "@jb_naturaliste",
        "Des herbiers numérisés",
        "Vos herbiers sont-ils consultables en ligne ? Je cherche des planches de fougères.",
        hours=5,
        how="channel",
        answer="Une partie oui, sur notre portail des collections ; les fougères arrivent en "
        "juin avec les bénévoles.",
    ),
    Asked(
        2,
        11,
        "form",
        "Bruno Le Floch",
        "Réserver une visite pour une classe",
        "Peut-on réserver une visite pour une classe de CE2 au mois de mai ?",
        plan="triage:thomas",
        hours=26,
        how="email",
        answer="Avec plaisir : je vous propose le mardi 13 ou le jeudi 15 mai à 10 h. La "
        "visite « Du vivant au squelette » dure une heure.",
    ),
    Asked(
        3,
        16,
        "email",
        "Solène Briand",
        "Horaires du dimanche",
        "Quels sont vos horaires le dimanche ? Le premier dimanche est-il gratuit ?",
        plan="triage:thomas",
        hours=20,
        how="public",
        consent=True,
        answer="Le dimanche, de 14 h à 18 h ; le premier dimanche du mois, l’entrée est "
        "gratuite pour tous.",
    ),
    Asked(
        6,
        10,
        "form",
        "Louis Hamon",
        "Un papillon de nuit géant",
        "Un énorme insecte, un papillon de nuit, s’est posé sur ma fenêtre : est-ce un grand "
        "paon de nuit ?",
        hours=1.5,
        how="email",
        answer="Très probablement ! Le grand paon de nuit est le plus grand papillon d’Europe ; "
        "envoyez-nous une photo si vous voulez une confirmation.",
    ),
    Asked(
        7,
        9,
        "email",
        "Marion Quéméner",
        "Restauration d’un crâne",
        "Je possède un crâne de chevreuil abîmé : faites-vous de la restauration pour les "
        "particuliers ?",
        hours=6,
        how="email",
        answer="Nous ne restaurons pas pour les particuliers, mais je peux vous conseiller : "
        "ne le lavez surtout pas à l’eau de Javel.",
    ),
    Asked(
        7,
        17,
        "connector",
        "@lea_svt",
        "Sciences participatives",
        "Comment participer au programme de sciences participatives du muséum ?",
        hours=16,
        how="channel",
        answer="Inscrivez-vous sur notre page bénévoles : on numérise les herbiers le jeudi "
        "soir, débutants bienvenus !",
    ),
    Asked(
        8,
        13,
        "form",
        "Patrick Even",
        "Insecte dans la farine",
        "Des petits insectes bruns dans ma farine : comment m’en débarrasser ?",
        plan="pass:camille",
        hours=30,
        how="email",
        to="thomas",
        answer="Ce sont des charançons ou des vrillettes : jetez la farine, nettoyez le placard "
        "au vinaigre blanc, et gardez vos farines en bocal.",
    ),
    Asked(
        9,
        10,
        "email",
        "Gwenola Tanguy",
        "Prêt de squelettes",
        "Prêtez-vous des squelettes ou des moulages aux écoles ?",
        hours=3,
        how="public",
        consent=True,
        answer="Oui, une mallette « Squelettes » (moulages de crânes et d’os) se prête deux "
        "semaines aux écoles de la métropole.",
    ),
    Asked(
        13,
        11,
        "form",
        "Yves Collet",
        "Stationnement",
        "Où se garer près du musée avec un camping-car ?",
        plan="triage:thomas",
        hours=28,
        how="email",
        answer="Le parking des Gayeulles accepte les camping-cars ; le bus 14 vous dépose "
        "devant le musée.",
    ),
    Asked(
        14,
        9,
        "connector",
        "@pauline_b",
        "Les réserves",
        "Peut-on visiter les réserves du muséum ? On voit des photos passionnantes !",
        hours=4,
        how="channel",
        answer="Une fois par mois, sur inscription : la prochaine visite des réserves a lieu le "
        "samedi 10 mai.",
    ),
    Asked(
        15,
        14,
        "form",
        "Anaïs Morel",
        "Anniversaire au musée",
        "Organisez-vous des anniversaires d’enfants avec un atelier ?",
        hours=2,
        how="email",
        answer="Oui, le samedi : un atelier d’une heure et un goûter, pour 12 enfants au plus.",
    ),
    Asked(
        16,
        10,
        "email",
        "Thierry Lagadec",
        "Don d’un herbier ancien",
        "Ma grand-mère a laissé un herbier de 1920 : le muséum l’accepterait-il en don ?",
        hours=8,
        how="email",
        answer="Avec grand intérêt ! Pouvez-vous m’envoyer quelques photos des planches et "
        "des étiquettes ? Je vous rappelle ensuite.",
    ),
    Asked(
        20,
        15,
        "form",
        "Camille Robic",
        "Os trouvés sur la plage",
        "J’ai trouvé des os sur la plage de Saint-Malo, peut-être un squelette de phoque : "
        "comment savoir de quel animal ?",
        hours=22,
        how="public",
        consent=True,
        answer="Envoyez une photo avec une pièce de monnaie pour l’échelle. Les os de plage sont "
        "souvent des vertèbres de dauphin ou de phoque.",
    ),
    Asked(
        21,
        11,
        "email",
        "Armelle Cozic",
        "Restauration d’une boîte de papillons",
        "Les épingles de la boîte de papillons de mon grand-père rouillent : faut-il une "
        "restauration ?",
        plan="pass:camille",
        hours=24,
        how="email",
        answer="Oui, et vite : la rouille ronge les spécimens. Apportez la boîte un mercredi, "
        "nous changerons les épingles ensemble.",
    ),
    Asked(
        22,
        10,
        "email",
        "Ronan Guillou",
        "Une araignée dans la cave",
        "Une grosse araignée noire vit dans ma cave : est-elle dangereuse ?",
        plan="pass:camille",
        hours=27,
        how="email",
        to="lucie",
        answer="C’est sans doute une tégénaire : impressionnante mais inoffensive. Elle chasse "
        "les moustiques, laissez-la faire.",
    ),
    Asked(
        23,
        9,
        "connector",
        "@micro_faune",
        "Fourmis en collection",
        "Avez-vous des fourmis dans vos collections d’insectes ?",
        hours=3,
        how="channel",
        answer="Plus de 300 espèces ! La collection Bonnet, en réserve, en compte à elle seule "
        "une centaine.",
    ),
    Asked(
        27,
        11,
        "form",
        "Hélène Caradec",
        "Visite en langue des signes",
        "Proposez-vous des visites en langue des signes ?",
        hours=5,
        how="public",
        consent=True,
        answer="Oui, un dimanche par mois avec une médiatrice sourde ; la prochaine visite a "
        "lieu le 18 mai.",
    ),
    Asked(
        29,
        14,
        "email",
        "Pierre Moal",
        "Gagnez un iPhone",
        "Félicitations, vous avez gagné ! Cliquez ici pour réclamer votre prix.",
        plan="spam",
    ),
    Asked(
        30,
        10,
        "form",
        "Sophie Kervella",
        "Une planche d’herbier déchirée",
        "Comment réparer une planche d’herbier déchirée sans l’abîmer ?",
        hours=4,
        how="email",
        answer="Avec une bande de papier japonais et de la colle d’amidon, jamais de ruban "
        "adhésif. Je peux vous montrer un jeudi soir.",
    ),
    Asked(
        36,
        10,
        "email",
        "Agathe Le Bris",
        "Coccinelle asiatique",
        "Comment distinguer ces deux insectes : la coccinelle asiatique et la coccinelle "
        "indigène ?",
        hours=2,
        how="public",
        consent=True,
        answer="L’asiatique est plus grande, porte souvent un « M » noir sur le pronotum et "
        "jusqu’à 19 points ; la coccinelle à sept points en a toujours sept.",
    ),
    Asked(
        37,
        15,
        "connector",
        "@clem_dessine",
        "Dessiner au musée",
        "A-t-on le droit de dessiner dans les galeries ?",
        plan="triage:thomas",
        hours=19,
        how="channel",
        answer="Bien sûr, au crayon : des tabourets pliants vous attendent à l’accueil.",
    ),
    Asked(
        41,
        11,
        "form",
        "Maël Riou",
        "Un squelette de chat",
        "Pour un projet de classe, comment préparer un squelette de chat trouvé mort ?",
        hours=3,
        how="email",
        answer="La préparation demande du temps et de l’hygiène : venez voir l’atelier "
        "d’ostéologie avec la classe, je vous montrerai les étapes.",
    ),
    Asked(
        42,
        9,
        "form",
        "Luc Jaouen",
        "Les bénévoles de l’herbier",
        "Je suis à la retraite et j’aimerais aider à numériser les herbiers.",
        plan="triage:yannick",
        hours=75,
        how="email",
        answer="Bienvenue ! Yannick rentre du terrain lundi ; je vous inscris pour le jeudi "
        "22 mai à 18 h.",
    ),
    Asked(
        42,
        10,
        "email",
        "Jeanne Derrien",
        "Herbier et école",
        "Une école peut-elle emprunter des planches d’herbier pour une exposition ?",
        plan="pass:thomas",
        hours=30,
        how="email",
        to="yannick",
        answer="Pas les originaux, mais des reproductions grand format : je vous les réserve "
        "pour juin.",
    ),
    Asked(
        43,
        16,
        "form",
        "Olivier Cadiou",
        "Punaises de lit",
        "Le muséum peut-il identifier un insecte pour savoir si ce sont des punaises de lit ?",
        hours=1,
        how="email",
        answer="Oui : déposez-le à l’accueil dans un flacon fermé, je l’examine sous 48 h.",
    ),
    Asked(
        44,
        9,
        "email",
        "Nolwenn Person",
        "Restauration de la baleine",
        "J’ai lu que la baleine allait être restaurée : le musée fermera-t-il ?",
        hours=5,
        how="public",
        consent=True,
        answer="Non : la restauration se fera galerie ouverte, à la vue de tous, à l’automne.",
    ),
    Asked(
        48,
        11,
        "form",
        "Erwan Nédélec",
        "Photos pour un livre",
        "Puis-je utiliser des photos de vos collections dans un livre ?",
        plan="triage:thomas",
        hours=50,
        how="email",
        answer="Oui, nos photographies sont sous licence CC BY : citez « Musée de la Vilaine » "
        "et le nom du photographe.",
    ),
    Asked(
        49,
        14,
        "connector",
        "@gaelle_insectes",
        "Élevage de phasmes",
        "Vous donnez des insectes de votre élevage de phasmes ?",
        hours=2,
        how="channel",
        answer="Oui, au printemps : passez à l’accueil avec une boîte aérée, on vous explique "
        "tout.",
    ),
    Asked(
        50,
        10,
        "form",
        "Mathilde Guégan",
        "Une dent de requin",
        "Mon fils a trouvé une dent fossile : est-ce une dent de requin ?",
        plan="pass:lucie",
        hours=29,
        how="email",
        to="camille",
        answer="Très probablement une dent d’*Otodus* : venez la montrer un mercredi, nous "
        "vérifierons ensemble.",
    ),
    Asked(
        55,
        15,
        "email",
        "Fabrice Le Meur",
        "Groupes d’adultes",
        "Organisez-vous des visites de groupe pour un comité d’entreprise ?",
        hours=4,
        how="email",
        answer="Oui, du mardi au vendredi, pour 25 personnes au plus ; comptez une heure et "
        "demie avec un médiateur.",
    ),
    Asked(
        56,
        10,
        "form",
        "Aurélie Toullec",
        "Le dernier loup de Bretagne",
        "Le dernier loup de Bretagne est-il dans vos collections ?",
        plan="open",
    ),
    Asked(
        57,
        11,
        "form",
        "Dominique Bihan",
        "Bénévolat et squelettes",
        "Peut-on être bénévole pour nettoyer les squelettes ?",
        plan="open",
    ),
    Asked(
        59,
        9,
        "email",
        "Quentin Salaün",
        "Merci !",
        "Merci pour la visite de vendredi, les enfants ont adoré.",
        plan="close",
    ),
    Asked(
        60,
        14,
        "form",
        "Isabelle Rault",
        "Nuit des musées",
        "Que prévoyez-vous pour la Nuit européenne des musées ?",
        plan="open",
    ),
]


def _settings(space: Space) -> InboxSettings:
    settings, _created = InboxSettings.objects.update_or_create(
        space=space,
        defaults={"email_address": ADDRESS, "response_hours": 24, "reminder_hours": 4},
    )
    for day, name in HOLIDAYS:
        Holiday.objects.update_or_create(settings=settings, day=day, defaults={"name": name})
    return settings


def _review(answer: Answer, *, held: bool, reviewer: User | None, when: datetime) -> None:
    ReviewRecord.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Answer),
        object_id=answer.pk,
        defaults={
            "kind": "answer",
            "author": answer.author,
            "action": "hold" if held else "publish_then_sample",
            "reasons": ["outside_expertise"] if held else ["trusted_author", "within_expertise"],
            "state": "approved" if held else "auto_published",
            "created_at": when,
            "resolved_at": when if held else None,
            "resolved_by": reviewer if held else None,
        },
    )


def _record_question(
    space: Space,
    number: int,
    asked: Asked,
    voices: dict[str, Voice],
    answered: dict[int, list[str]],
    mastodon: Channel | None,
    editor: User | None,
    reviewer: User | None,
) -> Question:
    received = _at(asked.day, asked.hour)
    away = set()
    if ABSENCE[0] in voices and ABSENCE[1] <= received.date() <= ABSENCE[2]:
        away.add(voices[ABSENCE[0]].pk)
    candidates = [
        routing.Candidate(
            voice_id=voice.pk,
            expertise=tuple(tag.name for tag in voice.expertise.all()),
            answered=tuple(answered.get(voice.pk, [])),
        )
        for voice in voices.values()
        if voice.pk not in away
    ]
    text = f"{asked.subject}\n{asked.body}"
    proposal = routing.propose(text, candidates)
    due = deadlines_for(space, received)
    addressed = voices.get(asked.to) if asked.to else None
    question, _created = Question.objects.update_or_create(
        space=space,
        message_id=f"<demo-question-{number}@docarennes.example>",
        defaults={
            "channel": asked.channel,
            "asker_name": "" if asked.channel == "connector" else asked.asker,
            "asker_email": ""
            if asked.channel == "connector"
            else f"{asked.asker.split()[0].lower()}.{number}@example.org",
            "asker_handle": asked.asker if asked.channel == "connector" else "",
            "email_confirmed_at": received,
            "subject": asked.subject,
            "body": asked.body,
            "addressed_to": addressed,
            "consent_public": asked.consent,
            "received_at": received,
            "created_at": received,
            "deadline": due.deadline,
            "reminder_at": due.reminder_at,
            "scores": [s.as_json() for s in proposal.scores if s.score > 0][:10],
            "shortlist": proposal.shortlist,
            "source_channel": mastodon if asked.channel == "connector" else None,
            "remote_id": f"demo-{number}" if asked.channel == "connector" else "",
            "state": "new",
            "assignee": None,
            "routing": "",
            "hops": 0,
            "topic": None,
            "first_answered_at": None,
            "published_at": None,
            "closed_at": None,
            "reminded_at": None,
            "escalated_at": None,
        },
    )
    question.assignments.all().delete()
    question.answers.all().delete()
    steps: list[tuple[Voice | None, str, User | None, bool, datetime]] = []
    kind, _colon, target = asked.plan.partition(":")
    if asked.plan == "spam":
        question.state = "spam"
        question.closed_at = received + timedelta(hours=2)
    elif addressed is not None and addressed.pk not in away:
        steps.append((addressed, "addressed", None, False, received))
    elif proposal.winner is not None:
        steps.append((Voice.objects.get(pk=proposal.winner), "routing", None, False, received))
    if kind == "triage":
        steps.append((voices[target], "triage", editor, False, received + timedelta(hours=3)))
    elif kind == "pass":
        if not steps:
            steps.append((voices[target], "triage", editor, False, received + timedelta(hours=1)))
        else:
            first = steps[-1][0]
            assert first is not None
            steps.append(
                (voices[target], "reassign", first.user, True, received + timedelta(hours=20))
            )
    for voice, how, by, hop, when in steps:
        Assignment.objects.create(
            question=question, voice=voice, kind=how, by=by, is_hop=hop, created_at=when
        )
    if steps:
        final = steps[-1][0]
        assert final is not None
        question.assignee = final
        question.state = "assigned"
        question.hops = sum(1 for step in steps if step[3])
        question.routing = {"addressed": "addressed", "routing": "direct"}.get(
            steps[0][1], "triage"
        )
        matched = next((s.tags for s in proposal.scores if s.voice_id == final.pk and s.tags), ())
        question.topic = Tag.objects.filter(name=matched[0]).first() if matched else None
    if asked.plan == "close":
        question.state = "closed"
        question.closed_at = received + timedelta(hours=5)
    if question.assignee is not None and asked.answer:
        sent = received + timedelta(hours=asked.hours)
        answer = Answer.objects.create(
            question=question,
            voice=question.assignee,
            author=question.assignee.user,
            kind=asked.how,
            body=asked.answer,
            state="sent",
            review_action="publish_then_sample",
            review_reasons=["trusted_author", "within_expertise"],
            sent_at=sent,
            created_at=sent - timedelta(minutes=20),
            message_id=f"<demo-answer-{number}@docarennes.example>",
            remote_id=f"demo-reply-{number}" if asked.how == "channel" else "",
        )
        held = question.topic is None
        _review(answer, held=held, reviewer=reviewer, when=sent)
        if held:
            Answer.objects.filter(pk=answer.pk).update(
                review_action="hold", review_reasons=["outside_expertise"], decided_at=sent
            )
        question.first_answered_at = sent
        question.state = "answered"
        if asked.how == "public" and asked.consent:
            question.published_at = sent
        answered.setdefault(question.assignee.pk, []).append(text)
    if (
        question.state in ("new", "assigned")
        and question.deadline
        and question.deadline < _at(61, 9)
    ):
        question.escalated_at = question.deadline
        question.reminded_at = question.reminder_at
    question.save()
    return question


def load_inbox() -> str | None:
    space = Space.objects.filter(institution__slug="musee-vilaine").first()
    if space is None:
        return None
    _settings(space)
    voices = {
        voice.user.email.split(".")[0]: voice
        for voice in space.voices.select_related("user").prefetch_related("expertise")
    }
    if ABSENCE[0] in voices:
        Absence.objects.update_or_create(
            voice=voices[ABSENCE[0]],
            starts_on=ABSENCE[1],
            defaults={"ends_on": ABSENCE[2], "note": ABSENCE[3]},
        )
    editor = space.memberships.filter(role="editor").select_related("user").first()
    reviewer = space.memberships.filter(role="reviewer").select_related("user").first()
    mastodon = space.channels.filter(kind="mastodon").first()
    answered: dict[int, list[str]] = {}
    made = [
        _record_question(
            space,
            number,
            asked,
            voices,
            answered,
            mastodon,
            editor.user if editor else None,
            reviewer.user if reviewer else None,
        )
        for number, asked in enumerate(QUESTIONS, start=1)
    ]
    direct = sum(1 for question in made if question.routing in ("direct", "addressed"))
    return _("%(space)s: %(questions)d questions, %(direct)d routed directly") % {
        "space": space.name,
        "questions": len(made),
        "direct": direct,
    }


register_demo_loader("inbox", load_inbox, order=70)
