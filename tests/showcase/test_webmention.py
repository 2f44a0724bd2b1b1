"""Webmention (W3C Recommendation), the receiver: discovery on project pages, request checks,
verification in a task against a real local HTTP server, updates and deletions, rate limit, and
the SSRF guard. Modelled on webmention.rocks' receiver cases and the W3C implementation report."""

from __future__ import annotations

import json
import socket

import pytest

from maillage.showcase import webmentions
from maillage.showcase.models import Evidence, Webmention, WebmentionStatus
from tests.factories import ArticleFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ENDPOINT = "/vitrine/webmention/"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(body: str, title: str = "Un billet qui parle du projet") -> bytes:
    return (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta name='description' content='Nous avons découvert ce projet.'></head>"
        f"<body><article><h1>{title}</h1><p>Un texte assez long pour être lu comme un article, "
        f"qui raconte la découverte du projet.</p>{body}</article></body></html>"
    ).encode()


@pytest.fixture
def project():  # type: ignore[no-untyped-def]
    return ProjectFactory(name="Les squelettes qui parlent")


@pytest.fixture
def target(project) -> str:  # type: ignore[no-untyped-def]
    return f"http://testserver{project.get_absolute_url()}"


def send(client, source: str, target: str, committed=None):  # type: ignore[no-untyped-def]
    if committed is None:
        return client.post(ENDPOINT, {"source": source, "target": target})
    with committed():
        return client.post(ENDPOINT, {"source": source, "target": target})


# --- Discovery -------------------------------------------------------------------------------


def test_a_public_project_page_advertises_the_endpoint(client, project):
    response = client.get(project.get_absolute_url())
    assert response["Link"] == '<http://testserver/vitrine/webmention/>; rel="webmention"'
    assert '<link rel="webmention" href="http://testserver/vitrine/webmention/">' in (
        response.content.decode()
    )


def test_a_private_project_page_does_not(client, curator, museum):
    private = ProjectFactory(visibility="private", institution=museum)
    client.force_login(curator)
    response = client.get(private.get_absolute_url())
    assert response.status_code == 200 and "Link" not in response
    assert 'rel="webmention"' not in response.content.decode()


def test_the_endpoint_explains_itself_on_get(client):
    response = client.get(ENDPOINT)
    assert response.status_code == 200 and b"source" in response.content


# --- Request verification (3.2.1) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target_of"),
    [
        ("", "ours"),
        ("not an address", "ours"),
        ("ftp://example.org/file", "ours"),
        ("javascript:alert(1)", "ours"),
        ("https://blog.example.org/billet", ""),
        ("https://blog.example.org/billet", "mailto:someone@example.org"),
    ],
)
def test_invalid_addresses_are_refused_with_400(client, target, source, target_of):
    response = send(client, source, target if target_of == "ours" else target_of)
    assert response.status_code == 400
    assert not Webmention.objects.exists()


def test_targets_that_are_not_our_public_project_pages_are_refused(client, project, target):
    source = "https://blog.example.org/billet"
    article = ArticleFactory()
    private = ProjectFactory(visibility="private")
    held = ProjectFactory(review_state="held", published_at=None)
    for other in [
        target.replace("testserver", "elsewhere.example.org"),
        f"http://testserver{article.get_absolute_url()}",
        "http://testserver/vitrine/",
        "http://testserver/vitrine/no-such-project/",
        f"http://testserver{private.get_absolute_url()}",
        f"http://testserver{held.get_absolute_url()}",
    ]:
        assert send(client, source, other).status_code == 400, other
    assert send(client, target, target).status_code == 400
    assert not Webmention.objects.exists()


def test_the_fragment_of_the_target_is_ignored(client, target):
    response = send(client, "https://blog.example.org/billet", target + "#comments")
    assert response.status_code == 202
    assert Webmention.objects.get().status == WebmentionStatus.QUEUED


# --- Verification (3.2.2): HTML, JSON, plain text ----------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        '<p>Voir <a href="{target}">les squelettes</a>.</p>',
        '<img src="{target}" alt="">',
        '<video src="{target}"></video>',
        '<audio><source src="{target}"></audio>',
        '<p><a class="u-in-reply-to" href="{target}">en réponse</a></p>',
    ],
)
def test_a_source_that_links_to_the_target_becomes_pending_evidence(
    client, http_server, committed, project, target, markup
):
    http_server.route("/billet", body=page(markup.format(target=target)), headers=HTML)
    response = send(client, http_server.url("/billet"), target, committed)
    assert response.status_code == 202
    mention = Webmention.objects.get()
    assert mention.status == WebmentionStatus.VERIFIED, mention.reason
    evidence = Evidence.objects.get()
    assert mention.evidence == evidence and evidence.project == project
    assert evidence.status == "pending" and evidence.origin == "webmention"
    assert evidence.title == "Un billet qui parle du projet"
    assert evidence.quote == "Nous avons découvert ce projet."
    assert evidence.kind == ("testimonial" if "u-in-reply-to" in markup else "mention")
    # Not shown to visitors until the team accepts it.
    assert "Un billet qui parle du projet" not in client.get(target).content.decode()


def test_a_relative_link_resolved_against_the_source_counts(client, http_server, committed):
    project = ProjectFactory()
    # The source is on our own host here: a link relative to it reaches the target.
    target = http_server.url(project.get_absolute_url())
    http_server.route("/billet", body=page(f'<a href="{project.get_absolute_url()}">x</a>'))
    mention = Webmention.objects.create(
        source=http_server.url("/billet"), target=target, project=project
    )
    assert webmentions.verify_webmention(webmention_id=mention.pk) == "verified"


@pytest.mark.parametrize(
    ("markup", "why"),
    [
        ("<p>Le projet : {target}</p>", "text"),
        ("<!-- <a href='{target}'>caché</a> -->", "comment"),
        ("<p>Rien à voir.</p>", "absent"),
        ("<a href='{target}/autre-page'>ailleurs</a>", "other page"),
    ],
)
def test_a_source_that_does_not_link_is_refused(
    client, http_server, committed, target, markup, why
):
    http_server.route("/billet", body=page(markup.format(target=target)), headers=HTML)
    assert send(client, http_server.url("/billet"), target, committed).status_code == 202
    mention = Webmention.objects.get()
    assert mention.status == WebmentionStatus.REFUSED, why
    assert mention.reason == "The source does not link to the target."
    assert not Evidence.objects.exists()


def test_json_and_plain_text_sources(client, http_server, committed, target):
    document = {"type": "Note", "content": "Bravo", "inReplyTo": [target]}
    http_server.route(
        "/note.json",
        body=json.dumps(document).encode(),
        headers={"Content-Type": "application/json"},
    )
    http_server.route(
        "/note.txt", body=f"Lu : {target}".encode(), headers={"Content-Type": "text/plain"}
    )
    http_server.route("/image.png", body=b"\x89PNG", headers={"Content-Type": "image/png"})
    for path in ["/note.json", "/note.txt", "/image.png"]:
        send(client, http_server.url(path), target, committed)
    statuses = dict(Webmention.objects.values_list("source", "status"))
    assert statuses == {
        http_server.url("/note.json"): "verified",
        http_server.url("/note.txt"): "verified",
        http_server.url("/image.png"): "refused",
    }
    assert Evidence.objects.count() == 2


def test_a_redirect_is_followed_and_too_many_are_not(client, http_server, committed, target):
    http_server.route("/final", body=page(f'<a href="{target}">x</a>'), headers=HTML)
    http_server.redirect("/moved", "/final", status=301)
    for index in range(7):
        http_server.redirect(f"/loop{index}", f"/loop{index + 1}")
    send(client, http_server.url("/moved"), target, committed)
    send(client, http_server.url("/loop0"), target, committed)
    statuses = dict(Webmention.objects.values_list("source", "status"))
    assert statuses[http_server.url("/moved")] == "verified"
    assert statuses[http_server.url("/loop0")] == "refused"


def test_spoofed_and_unreachable_sources_are_refused(client, http_server, committed, target):
    http_server.route("/missing", status=404, body=b"not here")
    send(client, http_server.url("/missing"), target, committed)
    assert Webmention.objects.get().status == "refused"
    # A closed port: nothing answers (the last attempt marks it refused).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mention = Webmention.objects.create(
        source=f"http://127.0.0.1:{port}/billet",
        target=target,
        project=Webmention.objects.get().project,
    )
    assert webmentions.verify_webmention(webmention_id=mention.pk, final_attempt=True) == "refused"
    mention.refresh_from_db()
    assert "could not be reached" in mention.reason
    # Before the last attempt the task is retried instead.
    mention.status = "queued"
    mention.save()
    with pytest.raises(webmentions.TryAgainLater):
        webmentions.verify_webmention(webmention_id=mention.pk, final_attempt=False)
    assert not Evidence.objects.exists()


# --- Updates and deletions (3.2.4) ---------------------------------------------------------------


def test_an_update_changes_the_evidence_and_keeps_the_teams_decision(
    client, http_server, committed, target
):
    http_server.route("/billet", body=page(f'<a href="{target}">x</a>', "Avant"), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    evidence = Evidence.objects.get()
    evidence.status = "accepted"
    evidence.save()

    http_server.route("/billet", body=page(f'<a href="{target}">x</a>', "Après"), headers=HTML)
    response = send(client, http_server.url("/billet"), target, committed)
    assert response.status_code == 202 and b"Update received" in response.content
    assert Webmention.objects.count() == 1 and Evidence.objects.count() == 1
    evidence.refresh_from_db()
    assert evidence.title == "Après" and evidence.status == "accepted"
    assert "Après" in client.get(target).content.decode()


def test_an_update_without_the_link_removes_the_evidence(client, http_server, committed, target):
    http_server.route("/billet", body=page(f'<a href="{target}">x</a>'), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    assert Evidence.objects.count() == 1
    http_server.route("/billet", body=page("<p>Lien retiré.</p>"), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    mention = Webmention.objects.get()
    assert mention.status == WebmentionStatus.DELETED and mention.evidence is None
    assert not Evidence.objects.exists()


def test_a_source_gone_410_removes_the_evidence(client, http_server, committed, target):
    http_server.route("/billet", body=page(f'<a href="{target}">x</a>'), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    http_server.route("/billet", status=410, body=b"gone")
    send(client, http_server.url("/billet"), target, committed)
    mention = Webmention.objects.get()
    assert mention.status == WebmentionStatus.DELETED
    assert mention.reason == "The source is gone (HTTP 410)."
    assert not Evidence.objects.exists()


def test_a_source_unreachable_later_keeps_its_evidence(client, http_server, committed, target):
    http_server.route("/billet", body=page(f'<a href="{target}">x</a>'), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    http_server.route("/billet", status=404, body=b"")
    send(client, http_server.url("/billet"), target, committed)
    assert Evidence.objects.count() == 1  # only 410, or a page without the link, deletes


def test_verification_is_idempotent(client, http_server, committed, target):
    http_server.route("/billet", body=page(f'<a href="{target}">x</a>'), headers=HTML)
    send(client, http_server.url("/billet"), target, committed)
    mention = Webmention.objects.get()
    assert webmentions.verify_webmention(webmention_id=mention.pk) == "skipped"
    assert len(http_server.requests) == 1


# --- Security (4) --------------------------------------------------------------------------------


def test_the_source_markup_is_shown_escaped(client, http_server, committed, target, project):
    http_server.route(
        "/billet",
        body=page(f'<a href="{target}">x</a>', "<script>alert(1)</script>Titre"),
        headers=HTML,
    )
    send(client, http_server.url("/billet"), target, committed)
    evidence = Evidence.objects.get()
    evidence.status = "accepted"
    evidence.save()
    html = client.get(target).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_private_addresses_are_refused(client, settings, target):
    settings.FETCH_ALLOW_LOOPBACK = False
    for source in ["http://127.0.0.1:8000/billet", "http://[::1]/billet", "http://10.0.0.8/x"]:
        response = send(client, source, target)
        assert response.status_code == 400, source
        assert b"public internet" in response.content
    assert not Webmention.objects.exists()


def test_names_that_resolve_to_private_addresses_are_refused_at_verification(
    client, settings, committed, target
):
    settings.FETCH_ALLOW_LOOPBACK = False
    response = send(client, "http://localhost:9/billet", target, committed)
    assert response.status_code == 202
    mention = Webmention.objects.get()
    assert mention.status == WebmentionStatus.REFUSED
    assert "loopback" in mention.reason


def test_senders_are_rate_limited(client, settings, target):
    settings.WEBMENTION_RATE_LIMIT = 3
    codes = [
        send(client, f"https://blog.example.org/billet-{index}", target).status_code
        for index in range(5)
    ]
    assert codes == [202, 202, 202, 429, 429]
    response = send(client, "https://blog.example.org/autre", target)
    assert int(response["Retry-After"]) > 0
    assert Webmention.objects.count() == 3
