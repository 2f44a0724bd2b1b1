"""Organisers' pages: permissions, announcing (time zones), the door, exports, closing (the report
is an article), who came, old report addresses."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillage.articles.models import Article
from maillage.events.models import (
    Event,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    RegistrationStatus,
)
from tests.events.pages import add_registration, html, make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MANAGED_PAGES = [
    "participants",
    "participants_csv",
    "participants_ods",
    "check_in",
    "attendance_sheet",
    "close",
    "edit",
    "cancel",
]


@pytest.fixture
def running_event(organiser):  # type: ignore[no-untyped-def]
    """An event that started an hour ago: every organiser page applies to it."""
    return make_event(
        title="Atelier en cours", starts_in=timedelta(hours=-1), organisers=(organiser,)
    )


@pytest.mark.parametrize("name", MANAGED_PAGES)
def test_organiser_pages_permissions(client, name, running_event, member, organiser, coordinator):
    url = reverse(f"events:{name}", args=[running_event.slug])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("members:login") in anonymous["Location"]

    client.force_login(member)
    assert client.get(url).status_code == 403

    for person in (organiser, coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 200, (name, person)


def test_organiser_pages_of_a_hidden_event_are_404_for_others(client, member, organiser):
    event = make_event(status=EventStatus.DRAFT, organisers=(organiser,))
    client.force_login(member)
    assert client.get(reverse("events:participants", args=[event.slug])).status_code == 404


def test_create_is_for_coordinators(client, member, organiser, coordinator):
    url = reverse("events:create")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "<title>New event · " in html(response)


def test_a_link_fills_in_the_new_event_form(client, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("events:create"),
        {"kind": "training", "title": "  Je tiens une   veille ", "summary": "Pour commencer"},
    )
    form = response.context["form"]
    assert form["title"].value() == "Je tiens une veille"
    assert form["kind"].value() == "training"
    assert form["summary"].value() == "Pour commencer"
    assert form["organisers"].value() == [coordinator.pk]
    page = html(response)
    assert 'value="Je tiens une veille"' in page
    assert '<option value="training" selected>' in page
    # Nothing is saved by a link; an unknown kind and other fields are ignored, long titles cut.
    response = client.get(
        reverse("events:create"), {"kind": "party", "title": "x" * 300, "capacity": "5"}
    )
    form = response.context["form"]
    assert form["kind"].value() in (None, "")
    assert form["title"].value() == "x" * 200
    assert form["capacity"].value() != "5"
    assert Event.objects.count() == 0


def test_the_list_offers_a_new_event_button_to_coordinators_only(client, member, coordinator):
    client.force_login(member)
    assert reverse("events:create") not in html(client.get(reverse("events:list")))
    client.force_login(coordinator)
    assert reverse("events:create") in html(client.get(reverse("events:list")))


def test_event_page_shows_the_organiser_panel_to_organisers_only(client, member, organiser):
    event = make_event(organisers=(organiser,))
    client.force_login(member)
    assert "For the organisers" not in html(client.get(event.get_absolute_url()))
    client.force_login(organiser)
    page = html(client.get(event.get_absolute_url()))
    assert "For the organisers" in page
    assert reverse("events:participants", args=[event.slug]) in page


# --- Announcing ----------------------------------------------------------------------------------


def event_form_data(**extra: str) -> dict[str, str]:
    data = {
        "kind": "workshop",
        "title": "Wikipédia en bibliothèque",
        "summary": "Contribuer ensemble.",
        "description": "Un atelier **participatif**.",
        "outside_facilitators": "",
        "start_date": "2026-03-29",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "10:45",
        "time_zone": "Europe/Paris",
        "place_name": "Les Champs Libres",
        "place_address": "10 cours des Alliés, Rennes",
        "online_url": "",
        "capacity": "15",
        "offer_hours": "24",
        "reminder_days_before": "2",
        "reminder_morning_at": "08:00",
        "registration_opens": "",
        "registration_closes": "",
        "tag_names": "Wikipédia, médiation numérique",
        "licence": "CC-BY-SA-4.0",
        "visibility": "public",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "10",
        "questions-0-label": "Votre niveau ?",
        "questions-0-kind": "choice",
        "questions-0-choices": "Débutant\nConfirmé",
        "questions-0-position": "0",
        "questions-1-label": "",
        "questions-1-kind": "text",
        "questions-1-choices": "",
        "questions-1-position": "0",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("day", "expected_utc_hour"),
    [("2026-03-29", 7), ("2026-03-28", 8)],  # summer time starts in Paris on 29 March 2026
)
def test_create_form_converts_local_time_across_dst(client, coordinator, day, expected_utc_hour):
    client.force_login(coordinator)
    response = client.post(reverse("events:create"), event_form_data(start_date=day))
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    year, month, date_of_month = (int(part) for part in day.split("-"))
    assert event.starts_at == datetime(year, month, date_of_month, expected_utc_hour, 0, tzinfo=UTC)
    assert event.duration == timedelta(hours=1, minutes=45)
    assert event.time_zone == "Europe/Paris"
    assert event.status == EventStatus.DRAFT
    assert response["Location"] == event.get_absolute_url()
    assert sorted(tag.slug for tag in event.tags.all()) == ["mediation-numerique", "wikipedia"]
    assert list(event.organisers.all()) == [coordinator]
    [question] = event.questions.all()
    assert question.kind == QuestionKind.CHOICE and question.choice_list == ["Débutant", "Confirmé"]


def test_create_form_refuses_a_time_that_does_not_exist(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:create"), event_form_data(start_time="02:30", end_time="04:00")
    )
    assert response.status_code == 200
    assert "does not exist in this time zone" in html(response)
    assert not Event.objects.exists()


def test_create_form_checks_end_after_start_and_a_place(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:create"), event_form_data(end_time="08:00", place_name="")
    )
    page = html(response)
    assert "The event must end after it starts." in page
    assert "Give a place, an online link, or both." in page
    assert not Event.objects.exists()


def test_registration_window_is_read_in_the_event_time_zone(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("events:create"),
        event_form_data(
            time_zone="America/Montreal",
            registration_opens="2026-03-01T09:00",
            registration_closes="2026-03-28T18:00",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.registration_opens_at == datetime(2026, 3, 1, 14, 0, tzinfo=UTC)  # EST
    assert event.registration_closes_at == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # EDT
    assert event.starts_at == datetime(2026, 3, 29, 13, 0, tzinfo=UTC)


def test_edit_form_shows_local_times_and_saves_changes(client, organiser):
    event = make_event(
        starts_at=datetime(2030, 7, 1, 16, 0, tzinfo=UTC),
        time_zone="Europe/Paris",
        organisers=(organiser,),
    )
    client.force_login(organiser)
    url = reverse("events:edit", args=[event.slug])
    page = html(client.get(url))
    assert 'value="2030-07-01"' in page and 'value="18:00"' in page
    assert f"<title>Edit: {event.title} · " in page

    data = event_form_data(
        title="Nouveau titre", start_date="2030-07-01", start_time="18:30", end_time="20:00"
    )
    data["organisers"] = str(organiser.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Nouveau titre"
    assert event.starts_at == datetime(2030, 7, 1, 16, 30, tzinfo=UTC)


def test_publish_and_cancel(client, coordinator, django_capture_on_commit_callbacks):
    event = make_event(status=EventStatus.DRAFT)
    client.force_login(coordinator)
    assert client.get(reverse("events:publish", args=[event.slug])).status_code == 405
    client.post(reverse("events:publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    cancel = reverse("events:cancel", args=[event.slug])
    assert "Cancel the event" in html(client.get(cancel))
    with django_capture_on_commit_callbacks(execute=False):
        client.post(cancel, {"message": "La salle est indisponible."})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


# --- At the door ---------------------------------------------------------------------------------


def test_check_in_page_searches_ticks_and_unticks(client, running_event, organiser):
    anne = add_registration(running_event, name="Anne Le Goff")
    add_registration(running_event, name="Bruno Kerjean")
    add_registration(running_event, name="Cécile Waiting", status=RegistrationStatus.WAITING)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[running_event.slug])

    page = html(client.get(url))
    assert "Anne Le Goff" in page and "Bruno Kerjean" in page
    assert "Cécile Waiting" not in page
    assert anne.check_in_code in page

    found = client.get(url, {"q": "goff"})
    assert "Anne Le Goff" in html(found) and "Bruno Kerjean" not in html(found)
    partial = client.get(url, {"q": anne.check_in_code}, headers={"HX-Request": "true"})
    assert "<html" not in html(partial) and "Anne Le Goff" in html(partial)

    response = client.post(url, {"registration": anne.pk, "action": "check_in", "q": "goff"})
    assert response.status_code == 302 and response["Location"].endswith("?q=goff")
    anne.refresh_from_db()
    assert anne.checked_in_at is not None

    row = client.post(
        url, {"registration": anne.pk, "action": "undo"}, headers={"HX-Request": "true"}
    )
    assert row.status_code == 200
    assert f'id="person-{anne.pk}"' in html(row) and "<html" not in html(row)
    assert 'id="check-in-count" hx-swap-oob="true"' in html(row)
    anne.refresh_from_db()
    assert anne.checked_in_at is None


def test_check_in_adds_a_walk_in(client, running_event, organiser):
    client.force_login(organiser)
    url = reverse("events:check_in", args=[running_event.slug])
    response = client.post(
        url,
        {
            "action": "walk_in",
            "walk_in-name": "Denis Surprise",
            "walk_in-email": "",
            "walk_in-profession": "teacher",
            "walk_in-institution_name": "Lycée Bréquigny",
        },
        follow=True,
    )
    walk_in = Registration.objects.get(name="Denis Surprise")
    assert walk_in.walk_in and walk_in.checked_in_at is not None
    assert "Denis Surprise is added and checked in." in html(response)


def test_check_in_cannot_tick_someone_of_another_event(client, running_event, organiser):
    other = add_registration(make_event(title="Autre"))
    client.force_login(organiser)
    url = reverse("events:check_in", args=[running_event.slug])
    assert client.post(url, {"registration": other.pk, "action": "check_in"}).status_code == 404
    assert client.post(url, {"registration": "x", "action": "check_in"}).status_code == 404


def test_check_in_error_is_shown_in_the_row(client, running_event, organiser):
    gone = add_registration(running_event, name="Parti", status=RegistrationStatus.CANCELLED)
    client.force_login(organiser)
    url = reverse("events:check_in", args=[running_event.slug])
    row = client.post(
        url, {"registration": gone.pk, "action": "check_in"}, headers={"HX-Request": "true"}
    )
    assert 'role="alert"' in html(row) and "cancelled" in html(row)


def test_attendance_sheet_lists_confirmed_people_for_print(client, running_event, organiser):
    add_registration(running_event, name="Anne Le Goff", institution_name="Champs Libres")
    add_registration(running_event, name="Parti", status=RegistrationStatus.CANCELLED)
    client.force_login(organiser)
    page = html(client.get(reverse("events:attendance_sheet", args=[running_event.slug])))
    assert "Anne Le Goff" in page and "Champs Libres" in page
    assert "Parti" not in page
    assert "Signature" in page


# --- Exports -------------------------------------------------------------------------------------


@pytest.fixture
def tricky_registrations(running_event):  # type: ignore[no-untyped-def]
    question = RegistrationQuestion.objects.create(event=running_event, label="Attentes ?")
    anne = add_registration(
        running_event,
        name="Anne Médiathèque",
        profession="librarian",
        institution_name="Bibliothèque",
    )
    RegistrationAnswer.objects.create(registration=anne, question=question, value="Découvrir")
    add_registration(running_event, name='=HYPERLINK("http://evil")', profession="other")
    add_registration(running_event, name="+33 6 12", institution_name="@risque")
    add_registration(running_event, name="Zoé Partie", status=RegistrationStatus.CANCELLED)
    return question


def test_csv_export_has_bom_accents_answers_and_no_formulas(
    client, running_event, organiser, tricky_registrations
):
    client.force_login(organiser)
    response = client.get(reverse("events:participants_csv", args=[running_event.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:2] == ["Name", "Email address"] and header[-1] == "Attentes ?"
    names = [row[0] for row in rows[1:]]
    assert "Anne Médiathèque" in names
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'+33 6 12" in names
    assert "Zoé Partie" not in names
    anne = next(row for row in rows[1:] if row[0] == "Anne Médiathèque")
    assert anne[-1] == "Découvrir" and anne[2] == "librarian"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_ods_export_opens_as_a_spreadsheet(client, running_event, organiser, tricky_registrations):
    client.force_login(organiser)
    response = client.get(reverse("events:participants_ods", args=[running_event.slug]))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert "META-INF/manifest.xml" in archive.namelist()
    namespaces = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own output
    rows = [
        ["".join(cell.itertext()) for cell in row.findall("table:table-cell", namespaces)]
        for row in root.iter(f"{{{namespaces['table']}}}table-row")
    ]
    assert rows[0][0] == "Name"
    names = [row[0] for row in rows[1:]]
    assert "Anne Médiathèque" in names
    assert '\'=HYPERLINK("http://evil")' in names
    assert len(rows) == 4


# --- Closing and the report ---------------------------------------------------------------------


def test_close_form_is_prefilled_from_check_ins(client, running_event, organiser):
    for index, profession in enumerate(["librarian", "librarian", "archivist"]):
        add_registration(
            running_event, name=f"P{index}", profession=profession, checked_in_at=timezone.now()
        )
    add_registration(running_event, name="Absent", profession="teacher")
    client.force_login(organiser)
    response = client.get(reverse("events:close", args=[running_event.slug]))
    page = html(response)
    assert response.context["form"].initial["attendees_count"] == 3
    assert "3 people: 2 librarians, 1 archivist" in page


def test_close_publishes_the_report_and_pages_link_both_ways(client, running_event, organiser):
    add_registration(
        running_event,
        name="Anne",
        profession="librarian",
        institution_name="BU des Lices",
        checked_in_at=timezone.now(),
    )
    client.force_login(organiser)
    form = client.get(reverse("events:close", args=[running_event.slug]))
    assert form.context["form"].initial["title"] == f"Report: {running_event.title}"
    data = {
        "title": "Contribuer ensemble",
        "summary": "Ce que nous avons fait.",
        "body": "Nous avons **contribué** ensemble.",
        "outcomes": "Recommencer en juin.",
        "attendees_count": "15",
        "links-TOTAL_FORMS": "5",
        "links-INITIAL_FORMS": "0",
        "links-0-title": "Le projet",
        "links-0-url": "https://fr.wikipedia.org/wiki/Projet:Bibliothèques",
        "attachments-TOTAL_FORMS": "3",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-title": "Diaporama",
        "attachments-0-file": SimpleUploadedFile("diapos.pdf", b"%PDF-1.4 test", "application/pdf"),
    }
    response = client.post(reverse("events:close", args=[running_event.slug]), data)
    report = Article.objects.get(event=running_event)
    report_url = report.get_absolute_url()
    assert response.status_code == 302 and response["Location"] == report_url
    assert report_url.startswith("/articles/")
    running_event.refresh_from_db()
    assert running_event.status == EventStatus.CLOSED
    assert running_event.attendees_count == 15

    client.logout()
    report_page = client.get(report_url)
    assert report_page.status_code == 200
    page = html(report_page)
    assert "<title>Contribuer ensemble · " in page
    assert "<strong>contribué</strong>" in page
    assert "Outcomes and ideas" in page and "Recommencer en juin." in page
    assert "Le projet" in page and "Diaporama" in page
    # Who came is shown with the report, and the report says which event it reports on.
    assert "15 people: 1 librarian" in page and "BU des Lices" in page
    assert running_event.get_absolute_url() in page
    assert "Report of the " in page and " workshop</a>" in page
    assert 'id="comments"' in page and "Comments (0)" in page  # open to comments
    # The event's page shows its report (title, who came) and leads to it.
    event_page = html(client.get(running_event.get_absolute_url()))
    assert report_url in event_page and "Contribuer ensemble" in event_page
    assert "15 people: 1 librarian" in event_page
    # Closing twice leads to the report.
    client.force_login(organiser)
    again = client.get(reverse("events:close", args=[running_event.slug]))
    assert again.status_code == 302 and again["Location"] == report_url


def test_close_is_refused_before_the_event_starts(client, organiser):
    event = make_event(organisers=(organiser,))
    client.force_login(organiser)
    response = client.get(reverse("events:close", args=[event.slug]), follow=True)
    assert "once it has taken place" in html(response)


def close(event: Event, by, **fields):  # type: ignore[no-untyped-def]
    from maillage.events import services

    return services.close_event(event=event, by=by, body=fields.pop("body", "Texte"), **fields)


def test_old_report_addresses_lead_to_the_article_for_good(client, member, organiser):
    event = make_event(starts_in=timedelta(hours=-3), organisers=(organiser,))
    report = close(event, organiser)
    for suffix, target in [
        ("", report.get_absolute_url()),
        ("pieces-jointes/3/", report.get_absolute_url()),
        ("modifier/", reverse("articles:edit", args=[report.slug])),
    ]:
        response = client.get(f"/ateliers/{event.slug}/compte-rendu/{suffix}")
        assert response.status_code == 301, suffix
        assert response["Location"] == target


def test_old_report_address_of_an_unclosed_or_hidden_event_is_404(client, member, organiser):
    event = make_event()
    assert client.get(reverse("events:old_report", args=[event.slug])).status_code == 404
    hidden = make_event(
        title="Membres",
        visibility="members",
        starts_in=timedelta(hours=-3),
        organisers=(organiser,),
    )
    report = close(hidden, organiser)
    url = reverse("events:old_report", args=[hidden.slug])
    assert client.get(url).status_code == 404
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 301
    assert client.get(report.get_absolute_url()).status_code == 200


def test_participants_page_lists_people_with_answers(
    client, running_event, organiser, tricky_registrations
):
    client.force_login(organiser)
    response = client.get(reverse("events:participants", args=[running_event.slug]))
    page = html(response)
    assert "Anne Médiathèque" in page and "Découvrir" in page
    assert "Zoé Partie" not in page
    assert f"<title>Participants: {running_event.title} · " in page


def test_the_report_is_edited_by_the_event_team_as_an_article(
    client, running_event, organiser, member
):
    facilitator = UserFactory(email="facilitator@example.org")
    running_event.facilitators.set([facilitator])
    report = close(running_event, organiser, body="Premier jet.")
    edit_url = reverse("articles:edit", args=[report.slug])
    client.force_login(member)
    assert client.get(edit_url).status_code == 403
    assert edit_url not in html(client.get(report.get_absolute_url()))
    # The event's team edits its report: whoever closed it and the other facilitators.
    for person in (organiser, facilitator):
        client.force_login(person)
        assert client.get(edit_url).status_code == 200
        page = html(client.get(report.get_absolute_url()))
        assert edit_url in page and reverse("events:attendance", args=[running_event.slug]) in page
    upload = SimpleUploadedFile("photo.png", b"\x89PNG fake", content_type="image/png")
    url = reverse("articles:attachment_add", args=[report.slug])
    response = client.post(url, {"title": "Le tableau", "file": upload})
    assert response.status_code == 302
    attachment = report.attachments.get()
    assert attachment.title == "Le tableau" and attachment.file_name == "photo.png"
    client.force_login(member)
    remove_url = reverse("articles:attachment_remove", args=[report.slug, attachment.pk])
    assert client.post(remove_url).status_code == 403
    client.force_login(facilitator)
    assert client.post(remove_url).status_code == 302
    assert not report.attachments.exists()


def test_correcting_who_came_from_the_event(client, running_event, organiser, member):
    add_registration(
        running_event, name="Anne", profession="librarian", checked_in_at=timezone.now()
    )
    url = reverse("events:attendance", args=[running_event.slug])
    client.force_login(organiser)
    response = client.get(url, follow=True)
    assert "Who came is recorded when the event is closed." in html(response)
    report = close(running_event, organiser)
    page = html(client.get(running_event.get_absolute_url()))
    assert url in page  # the organisers' panel of a closed event
    page = html(client.get(url))
    assert "<title>Who came: Atelier en cours · " in page and "1 person: 1 librarian" in page
    add_registration(
        running_event, name="Youn", profession="archivist", checked_in_at=timezone.now()
    )
    response = client.post(url, {"attendees_count": "12", "recount": "on"})
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert "12 people: 1 librarian, 1 archivist" in html(client.get(report.get_absolute_url()))
    client.force_login(member)
    assert client.get(url).status_code == 403
