"""`maillage mail receive` and `maillage mail lmtp` as an MTA runs them: separate processes on
the test database, an email on a pipe, an LMTP conversation, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from maillage.core.db import database_url
from maillage.mailing.models import InboundMail, Message
from tests.mailing.conftest import DOMAIN, LMTPServer
from tests.services import free_port

pytestmark = pytest.mark.django_db(transaction=True)

MAILLAGE = str(Path(sys.executable).with_name("maillage"))


def environment(settings, tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        **os.environ,
        "MAILLAGE_MODE": "development",
        "DATABASE_URL": database_url(connection.settings_dict),
        "SECRET_KEY": settings.SECRET_KEY,
        "MAILING_DOMAIN": DOMAIN,
        "MAILING_AUTHSERV_ID": "mx.docarennes.example",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MAILLAGE_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "WARNING",
    }


def server_output(server: subprocess.Popen[bytes]) -> str:
    """What the service wrote to its error stream so far (it is still running)."""
    server.send_signal(signal.SIGTERM)
    try:
        _out, err = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        return "(no output: the service did not stop)"
    return err.decode(errors="replace")[-3000:]


def email(message_id: str) -> bytes:
    return (
        "From: Camille Le Goff <camille@example.org>\r\n"
        f"To: reseau@{DOMAIN}\r\n"
        "Subject: Par un tuyau\r\n"
        f"Message-ID: <{message_id}@example.org>\r\n"
        "Authentication-Results: mx.docarennes.example; dmarc=pass header.from=example.org\r\n"
        "\r\n"
        "Bonjour depuis Postfix.\r\n"
    ).encode()


def test_receive_reads_a_pipe_and_exits_67_for_a_stranger_address(
    settings, tmp_path, network, camille, open_policy
):
    env = environment(settings, tmp_path)
    done = subprocess.run(
        [MAILLAGE, "mail", "receive"],
        input=email("tuyau"),
        env={**env, "ORIGINAL_RECIPIENT": f"reseau@{DOMAIN}", "SENDER": "camille@example.org"},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert Message.objects.get(message_id="<tuyau@example.org>").body == "Bonjour depuis Postfix."
    stranger = subprocess.run(
        [MAILLAGE, "mail", "receive", "--recipient", f"personne@{DOMAIN}"],
        input=email("perdu"),
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert stranger.returncode == 67
    assert b"550 5.1.1" in stranger.stderr
    assert InboundMail.objects.count() == 2


def test_the_lmtp_service_receives_and_stops_on_sigterm(
    settings, tmp_path, network, camille, open_policy
):
    port = free_port()
    server = subprocess.Popen(
        [MAILLAGE, "mail", "lmtp", "--port", str(port)],
        env=environment(settings, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the LMTP service did not start"
                time.sleep(0.2)
        answers = LMTPServer("127.0.0.1", port).send(
            email("lmtp"), mail_from="camille@example.org", recipients=[f"reseau@{DOMAIN}"]
        )
        kept = list(InboundMail.objects.values_list("outcome", "detail"))
        assert answers == ["250 2.0.0 Kept (posted)"], (kept, server_output(server))
        assert Message.objects.filter(message_id="<lmtp@example.org>").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode == 0
