"""The `maillage` command: help in two languages, commands handed to Django, `check`,
`createadmin`, and the supervisor behind `maillage demo` (two children, one Ctrl-C)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from maillage import cli
from maillage.members.models import Role, User
from tests.console import PROJECT_DIR, clean_environment, maillage_command, run_maillage
from tests.services import free_port, service_missing

# --- Language of the help ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "fr"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": ""}, "en"),
    ],
)
def test_the_help_language_follows_the_locale(environment: dict[str, str], language: str) -> None:
    assert cli.cli_language(environment) == language


def test_help_in_english(tmp_path: Path) -> None:
    result = run_maillage("--help", data_dir=tmp_path, LANG="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: maillage")
    for command in cli.COMMANDS:
        assert command in result.stdout
    assert "Run the demo" in result.stdout
    assert "handed to Django" in result.stdout


def test_help_in_french(tmp_path: Path) -> None:
    # Needs the CLI's strings in maillage/locale/fr (compiled by `make messages`).
    result = run_maillage("--help", data_dir=tmp_path, LANG="fr_FR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("utilisation\u00a0: maillage")
    assert "Lance la démo" in result.stdout
    assert "confiée à Django" in result.stdout


def test_subcommand_help_in_french(tmp_path: Path) -> None:
    result = run_maillage("serve", "--help", data_dir=tmp_path, LANG="fr_FR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "Sert le site avec gunicorn" in result.stdout
    assert "Adresse d’écoute" in result.stdout


def test_help_needs_no_settings(tmp_path: Path) -> None:
    """Even where production would refuse to start, the help answers."""
    result = run_maillage("demo", "--help", data_dir=tmp_path, MAILLAGE_MODE="production")
    assert result.returncode == 0, result.stderr
    assert "--bind" in result.stdout


def test_a_bad_configuration_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_maillage("check", data_dir=tmp_path, MAILLAGE_MODE="production")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_an_error(tmp_path: Path) -> None:
    result = run_maillage("check", "--no-such-option", data_dir=tmp_path)
    assert result.returncode == 2
    assert "--no-such-option" in result.stderr


# --- Commands handed to Django, and `check` ---------------------------------------------------


def test_other_commands_go_to_django(tmp_path: Path) -> None:
    result = run_maillage("showmigrations", "members", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0001_initial" in result.stdout


def test_check_wants_the_migrations_then_passes(tmp_path: Path) -> None:
    before = run_maillage("check", data_dir=tmp_path)
    assert before.returncode == 1
    assert "migrations" in before.stdout + before.stderr

    migrate = run_maillage("migrate", "--verbosity", "0", data_dir=tmp_path)
    assert migrate.returncode == 0, migrate.stderr

    after = run_maillage("check", data_dir=tmp_path)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "System check identified no issues" in after.stdout
    for label in ("database", "migrations", "task queue", "cache"):
        assert f"✓ {label}" in after.stdout


def test_check_reports_an_unreachable_queue(tmp_path: Path) -> None:
    closed_port = free_port()
    result = run_maillage(
        "check", data_dir=tmp_path, REDIS_URL=f"redis://127.0.0.1:{closed_port}/0"
    )
    assert result.returncode == 1
    assert "✗ task queue" in result.stdout
    assert "Not ready" in result.stderr


def test_check_with_the_queue_and_cache_on_redis(migrated_data_dir: Path) -> None:
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception as error:
        service_missing(f"Redis is not reachable at {redis_url} ({error})")
    result = run_maillage("check", data_dir=migrated_data_dir, REDIS_URL=redis_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ task queue: RedisHuey" in result.stdout
    assert "✓ cache: RedisCache" in result.stdout


@pytest.mark.django_db
def test_check_services_on_the_test_database() -> None:
    """In-process, so on PostgreSQL too when DATABASE_URL points there."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("check_services", stdout=out)
    assert "✓ database" in out.getvalue()
    assert "✓ migrations: all applied" in out.getvalue()


# --- createadmin ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_createadmin_makes_a_coordinator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_ADMIN_PASSWORD", "a long enough passphrase")
    call_command(
        "createadmin",
        email="Admin@Example.org",
        name="Alex Admin",
        interactive=False,
        stdout=io.StringIO(),
    )
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser and admin.is_staff
    assert admin.role == Role.COORDINATOR
    assert admin.trust_level == 4
    assert admin.check_password("a long enough passphrase")


@pytest.mark.django_db
def test_createadmin_refuses_a_duplicate_and_a_weak_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    User.objects.create_user("taken@example.org", "whatever-password", display_name="Taken")
    monkeypatch.setenv("MAILLAGE_ADMIN_PASSWORD", "a long enough passphrase")
    with pytest.raises(CommandError, match=r"taken@example\.org"):
        call_command("createadmin", email="TAKEN@example.org", name="T", interactive=False)
    monkeypatch.setenv("MAILLAGE_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError):
        call_command("createadmin", email="new@example.org", name="New", interactive=False)
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_createadmin_without_a_password_and_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MAILLAGE_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="MAILLAGE_ADMIN_PASSWORD"):
        call_command("createadmin", email="new@example.org", name="New", interactive=False)


# --- The supervisor behind `maillage demo` ----------------------------------------------------

# Each sleeper writes its pid to the file named by its argument, then sleeps.
SLEEPER = (
    "import os, pathlib, signal, sys, time\n"
    "if len(sys.argv) > 2: signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "pathlib.Path(sys.argv[1]).write_text(str(os.getpid()))\n"
    "time.sleep(120)\n"
)
SUPERVISOR = (
    "import json, sys\n"
    "from maillage.cli import supervise\n"
    "commands, stop_timeout = json.loads(sys.argv[1]), float(sys.argv[2])\n"
    "sys.exit(supervise(commands, stop_timeout=stop_timeout))\n"
)


StartSupervisor = Callable[..., "subprocess.Popen[str]"]


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def wait_for_pids(files: list[Path], timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(file.exists() and file.read_text() for file in files):
            return [int(file.read_text()) for file in files]
        time.sleep(0.05)
    raise AssertionError("the children did not start")


@pytest.fixture
def start_supervisor() -> Iterator[StartSupervisor]:
    started: list[subprocess.Popen[str]] = []

    def start(commands: list[list[str]], stop_timeout: float = 10) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", SUPERVISOR, json.dumps(commands), str(stop_timeout)],
            cwd=PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def sleeper(pid_file: Path, *, ignore_sigint: bool = False) -> list[str]:
    return [sys.executable, "-c", SLEEPER, str(pid_file), *(["ignore"] if ignore_sigint else [])]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_both_children(
    start_supervisor: StartSupervisor, tmp_path: Path, signum: int
) -> None:
    files = [tmp_path / "web.pid", tmp_path / "worker.pid"]
    supervisor = start_supervisor([sleeper(file) for file in files])
    pids = wait_for_pids(files)
    assert all(is_running(pid) for pid in pids)

    supervisor.send_signal(signum)
    assert supervisor.wait(timeout=20) == 0
    assert not any(is_running(pid) for pid in pids)


def test_when_one_child_dies_the_other_is_stopped(
    start_supervisor: StartSupervisor, tmp_path: Path
) -> None:
    pid_file = tmp_path / "web.pid"
    crash = [sys.executable, "-c", "import sys, time; time.sleep(1); sys.exit(3)"]
    supervisor = start_supervisor([sleeper(pid_file), crash])
    (pid,) = wait_for_pids([pid_file])

    assert supervisor.wait(timeout=20) == 3
    assert not is_running(pid)
    assert "stopping the others" in supervisor.stderr.read()


def test_a_child_ending_cleanly_still_counts_as_a_failure(
    start_supervisor: StartSupervisor, tmp_path: Path
) -> None:
    pid_file = tmp_path / "web.pid"
    supervisor = start_supervisor(
        [sleeper(pid_file), [sys.executable, "-c", "import time; time.sleep(1)"]]
    )
    (pid,) = wait_for_pids([pid_file])
    assert supervisor.wait(timeout=20) == 1
    assert not is_running(pid)


def test_a_child_that_ignores_the_signal_is_killed_after_the_delay(
    start_supervisor: StartSupervisor, tmp_path: Path
) -> None:
    files = [tmp_path / "web.pid", tmp_path / "stubborn.pid"]
    supervisor = start_supervisor(
        [sleeper(files[0]), sleeper(files[1], ignore_sigint=True)], stop_timeout=1
    )
    pids = wait_for_pids(files)
    started = time.monotonic()
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=20) == 0
    assert time.monotonic() - started < 10
    assert not any(is_running(pid) for pid in pids)


def test_a_command_that_cannot_start_stops_the_others(
    start_supervisor: StartSupervisor, tmp_path: Path
) -> None:
    pid_file = tmp_path / "web.pid"
    supervisor = start_supervisor([sleeper(pid_file), [str(tmp_path / "no-such-program")]])
    assert supervisor.wait(timeout=20) == 1
    if pid_file.exists() and pid_file.read_text():
        assert not is_running(int(pid_file.read_text()))


def test_the_demo_runs_gunicorn_and_the_worker() -> None:
    web = cli.gunicorn_command(bind="127.0.0.1:8123", workers=2)
    assert web[:3] == [sys.executable, "-m", "gunicorn"]
    assert "python:maillage.gunicorn_conf" in web
    assert web[web.index("--bind") + 1] == "127.0.0.1:8123"
    assert cli.worker_command() == [sys.executable, "-m", "maillage.cli", "worker"]


@pytest.mark.parametrize(
    ("environment", "bind"),
    [
        ({}, "127.0.0.1:8000"),
        ({"PORT": "9000"}, "127.0.0.1:9000"),
        ({"HOST": "0.0.0.0", "PORT": "80"}, "0.0.0.0:80"),  # noqa: S104
        ({"HOST": "::1"}, "[::1]:8000"),
    ],
)
def test_serve_binds_from_host_and_port(environment: dict[str, str], bind: str) -> None:
    assert cli.default_bind(environment) == bind


def test_the_demo_ignores_production_services() -> None:
    production = {
        "DATABASE_URL": "postgres://prod@db/maillage",
        "REDIS_URL": "redis://prod:6379/0",
        "EMAIL_URL": "smtp+tls://user:secret@smtp.example.org:587",
        "MAILLAGE_HTTPS": "true",
        "ALLOWED_HOSTS": "reseau.example.org",
        "MAILLAGE_DATA_DIR": "/tmp/somewhere",
    }
    env = cli.demo_environment("127.0.0.1:8000", production)
    assert env["MAILLAGE_MODE"] == "demo"
    assert env["DATABASE_URL"] == env["REDIS_URL"] == ""
    assert env["EMAIL_URL"] == "consolemail://"
    assert env["MAILLAGE_HTTPS"] == "false"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1,localhost,[::1]"
    assert env["SITE_URL"] == "http://127.0.0.1:8000"
    assert env["MAILLAGE_DATA_DIR"] == "/tmp/somewhere"
    assert cli.demo_environment("0.0.0.0:8000", {})["ALLOWED_HOSTS"] == "*"
    assert cli.demo_environment("192.0.2.7:8000", {})["ALLOWED_HOSTS"].endswith(",192.0.2.7")
    assert cli.demo_environment("127.0.0.1:8000", {})["MAILLAGE_DATA_DIR"] == str(
        PROJECT_DIR / "var"
    )


# --- The real demo, end to end ----------------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_maillage_demo_serves_then_stops_on_ctrl_c(migrated_data_dir: Path) -> None:
    port = free_port()
    demo = subprocess.Popen(
        [*maillage_command(), "demo", "--bind", f"127.0.0.1:{port}"],
        env=clean_environment(migrated_data_dir, WEB_CONCURRENCY="1"),
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert demo.poll() is None, demo.stdout.read() if demo.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the demo did not come up in time"
                time.sleep(0.3)
        children = child_pids(demo.pid)
        assert len(children) == 2

        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=60)
        assert demo.returncode == 0, output
        assert not any(is_running(pid) for pid in children)
        assert "demo-maillage-2014" in output
        assert "claire.morvan@docarennes.example" in output
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
