"""Fixtures for the mailing list: the network's list and its members, a real LMTP server (the
one `maillage mail lmtp` runs) on a free port, and an LMTP client that reads one reply per
recipient (RFC 2033), which Python's smtplib.LMTP does not."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest

from maillage.core.review.models import ReviewPolicy
from maillage.mailing.models import MailingList
from maillage.members.models import Role, User
from tests.factories import ListSubscriptionFactory, MailingListFactory, UserFactory
from tests.services import free_port

DOMAIN = "lists.example.org"


@pytest.fixture(autouse=True)
def mailing_settings(settings: Any) -> None:
    settings.SITE_URL = "https://docarennes.example"
    settings.SITE_NAME = "Doc@Rennes"
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"
    settings.MAILING_DOMAIN = DOMAIN
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (the mail)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def open_policy(db: Any) -> ReviewPolicy:
    """Members publish directly (no first-contribution hold), as in a network that trusts."""
    policy = ReviewPolicy.current()
    policy.trust_level_to_publish = 0
    policy.first_contributions = 0
    policy.sample_rate = 0
    policy.save()
    return policy


@pytest.fixture
def network(db: Any) -> MailingList:
    return MailingListFactory(
        name="Doc@Rennes",
        slug="reseau",
        local_part="reseau",
        is_network_list=True,
        subject_prefix="[Doc@Rennes]",
    )


@pytest.fixture
def camille(db: Any) -> User:
    return UserFactory(email="camille@example.org", display_name="Camille Le Goff", trust_level=2)


@pytest.fixture
def sophie(db: Any) -> User:
    return UserFactory(email="sophie@example.org", display_name="Sophie Le Bihan", trust_level=1)


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(
        email="claire@example.org",
        display_name="Claire Morvan",
        role=Role.COORDINATOR,
        trust_level=4,
    )


@pytest.fixture
def subscribed(network: MailingList, camille: User, sophie: User) -> list[User]:
    """Camille and Sophie receive every message; Yann a weekly digest; Lena the web only."""
    yann = UserFactory(email="yann@example.org", display_name="Yann Kerbrat")
    lena = UserFactory(email="lena@example.org", display_name="Léna Guillou")
    for member, mode in ((camille, "every"), (sophie, "every"), (yann, "weekly"), (lena, "web")):
        ListSubscriptionFactory(mailing_list=network, member=member, mode=mode)
    return [camille, sophie, yann, lena]


# --- LMTP ----------------------------------------------------------------------------------


@dataclass
class LMTPServer:
    host: str
    port: int

    def send(self, raw: bytes, *, mail_from: str, recipients: list[str]) -> list[str]:
        """One LMTP transaction; returns the reply lines after DATA, one per recipient."""
        with socket.create_connection((self.host, self.port), timeout=30) as sock:
            stream = sock.makefile("rb")

            def reply() -> str:
                lines = []
                while True:
                    line = stream.readline().decode()
                    lines.append(line.rstrip("\r\n"))
                    if len(line) < 4 or line[3] != "-":
                        return "\n".join(lines)

            def command(text: str) -> str:
                sock.sendall(text.encode() + b"\r\n")
                return reply()

            assert reply().startswith("220")
            assert command("LHLO test.example").startswith("250")
            assert command(f"MAIL FROM:<{mail_from}>").startswith("250")
            accepted = 0
            answers: list[str] = []
            for recipient in recipients:
                answer = command(f"RCPT TO:<{recipient}>")
                if answer.startswith("250"):
                    accepted += 1
                else:
                    answers.append(answer)
            if not accepted:
                command("QUIT")
                return answers
            assert command("DATA").startswith("354")
            body = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            lines = [b"." + line if line.startswith(b".") else line for line in body.split(b"\r\n")]
            sock.sendall(b"\r\n".join(lines) + b"\r\n.\r\n")
            answers.extend(reply() for _ in range(accepted))
            command("QUIT")
            return answers


@pytest.fixture
def lmtp_server(transactional_db: Any) -> Iterator[LMTPServer]:
    from maillage.mailing import lmtp

    port = free_port()
    controller = lmtp.controller(host="127.0.0.1", port=port)
    controller.start()
    try:
        yield LMTPServer(host="127.0.0.1", port=port)
    finally:
        controller.stop()
