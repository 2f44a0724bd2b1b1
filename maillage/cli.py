"""The `maillage` command: demo, serve, worker, createadmin, check; other words go to Django.

A thin layer over Django's management commands. Its help speaks French, or English when the
locale (LC_ALL, LC_MESSAGES, LANG) starts with "en"; it is built before Django is set up, so that
`maillage --help` works even where the settings would refuse to load.
"""

from __future__ import annotations

import argparse
import contextlib
import gettext
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEMO_BIND = f"{DEFAULT_HOST}:{DEFAULT_PORT}"
# Web processes for the demo unless WEB_CONCURRENCY says otherwise: enough for a few visitors.
DEMO_WEB_WORKERS = 2
COMMANDS = ("demo", "serve", "worker", "createadmin", "check")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "fr"


def _(message: str) -> str:
    """Translate with the project's catalogue (the same django.mo Django reads)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """French unless the first locale variable that is set (as POSIX orders them) says English."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def use_language(language: str) -> None:
    global _translations, _language
    _language = language
    _translations = gettext.translation(
        "django", localedir=LOCALE_DIR, languages=[language], fallback=True
    )


class CommandFailed(Exception):
    """A failure worth one line to the user, not a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- The parser -------------------------------------------------------------------------------


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # Translators: argparse adds the colon; French ends the heading with a no-break space.
        self._positionals.title = pgettext("help heading", "arguments")
        self._optionals.title = pgettext("help heading", "options")
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=_("Show this help.")
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("maillage")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="maillage",
        description=_(
            "Maillage, the platform of the Doc@Rennes network: workshops, shared watch, "
            "know-how and the voices of institutions on the social web."
        ),
        epilog=_(
            "Any other command is handed to Django, for example: maillage migrate, "
            "maillage shell, maillage help (the list of all commands)."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"maillage {_version()}", help=_("Show the version.")
    )
    commands = parser.add_subparsers(
        dest="command",
        title=pgettext("help heading", "commands"),
        metavar=_("COMMAND"),
        parser_class=_Parser,
    )

    demo = commands.add_parser(
        "demo",
        help=_("Run the demo: the site and its worker, with demo data."),
        description=_(
            "Run the demo on this machine: an embedded SQLite database in the data folder, "
            "demo data, the site (gunicorn) and the background worker (huey) side by side. "
            "Ctrl-C stops both."
        ),
    )
    demo.add_argument(
        "--bind",
        default=DEMO_BIND,
        metavar=_("ADDRESS"),
        help=_("Address to listen on (default: %(default)s)."),
    )

    serve = commands.add_parser(
        "serve",
        help=_("Serve the site with gunicorn."),
        description=_(
            "Serve the site with gunicorn, static files included (whitenoise). Refuses to start "
            "while database migrations are pending. Run the worker beside it."
        ),
    )
    serve.add_argument(
        "--bind",
        metavar=_("ADDRESS"),
        help=_(
            "Address to listen on, host:port or unix:/path "
            "(default: $HOST:$PORT, else 127.0.0.1:8000)."
        ),
    )
    serve.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=_("Web processes (default: $WEB_CONCURRENCY, else twice the processors plus one)."),
    )
    serve.add_argument(
        "--migrate",
        action="store_true",
        help=_("Apply pending migrations first instead of refusing to start."),
    )

    worker = commands.add_parser(
        "worker",
        help=_("Run the background task worker (huey)."),
        description=_(
            "Run the worker that carries out background tasks: fetching, email, digests. "
            "Other options are handed to huey (see: maillage run_huey --help)."
        ),
    )
    worker.add_argument("--workers", type=int, metavar="N", help=_("Worker threads."))

    createadmin = commands.add_parser(
        "createadmin",
        help=_("Create a coordinator account with every right."),
        description=_(
            "Create a coordinator account that may use the administration pages. "
            "The password comes from MAILLAGE_ADMIN_PASSWORD, or is asked for."
        ),
    )
    createadmin.add_argument("--email", help=_("Email address (used to log in)."))
    createadmin.add_argument("--name", help=_("Display name."))
    createadmin.add_argument(
        "--no-input",
        dest="interactive",
        action="store_false",
        help=_("Never ask: fail if something is missing."),
    )

    check = commands.add_parser(
        "check",
        help=_("Check the configuration, the database and the task queue."),
        description=_(
            "Run Django's system checks (deployment checks included in production mode), then "
            "check that the database, its migrations, the task queue and the cache answer."
        ),
    )
    check.add_argument(
        "--deploy",
        action="store_true",
        help=_("Include the deployment checks even outside production mode."),
    )
    return parser


# --- Django -----------------------------------------------------------------------------------


def setup_django(*, mode: str | None = None) -> None:
    """Load the settings (in `mode` if given) and the apps; a bad configuration is one line."""
    if mode:
        os.environ["MAILLAGE_MODE"] = mode
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise CommandFailed(_("Configuration error: %(error)s") % {"error": error}, 2) from None
    from django.utils import translation

    translation.activate(_language)


def call(command_name: str, /, *args: str, **options: Any) -> None:
    """call_command, with a CommandError turned into one line for the user."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(command_name, *args, **options)
    except CommandError as error:
        raise CommandFailed(str(error), error.returncode) from None


def run_django_command(argv: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    setup_django()
    execute_from_command_line(["maillage", *argv])
    return 0


def unapplied_migrations() -> list[str]:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _static_sources_fingerprint() -> str:
    """A digest of every static source file's path, size and time: changes when one does."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_needed() -> bool:
    """Run collectstatic unless the collected files already match the sources. True if it ran."""
    from django.conf import settings
    from django.core.management import call_command

    static_root = Path(settings.STATIC_ROOT)
    stamp = static_root / ".maillage-sources"
    fingerprint = _static_sources_fingerprint()
    manifest = static_root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    print(_("Collecting static files…"), flush=True)
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    stamp.write_text(fingerprint)
    return True


# --- Processes --------------------------------------------------------------------------------


def default_bind(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    host = environ.get("HOST") or DEFAULT_HOST
    port = environ.get("PORT") or str(DEFAULT_PORT)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def gunicorn_command(*, bind: str, workers: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--config", "python:maillage.gunicorn_conf"]
    command += ["--bind", bind]
    if workers:
        command += ["--workers", str(workers)]
    return command


def worker_command(extra: Sequence[str] = ()) -> list[str]:
    return [sys.executable, "-m", "maillage.cli", "worker", *extra]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Linux: have the kernel send SIGTERM to the child if the supervisor is killed outright."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


# What each child receives when the supervisor gets a signal. SIGHUP (the terminal went away)
# becomes SIGTERM: to gunicorn and huey, SIGHUP means "reload", not "stop".
_FORWARDED_SIGNALS = {
    signal.SIGINT: signal.SIGINT,
    signal.SIGTERM: signal.SIGTERM,
    signal.SIGHUP: signal.SIGTERM,
}


def _stop_children(
    children: Sequence[subprocess.Popen[bytes]],
    signum: int,
    *,
    timeout: float,
    hurry: Callable[[], bool] = lambda: False,
) -> None:
    """Send `signum` to the living children, wait up to `timeout`, then kill the stragglers."""
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not hurry():
        if all(child.poll() is not None for child in children):
            return
        time.sleep(0.05)
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait()


def supervise(
    commands: Sequence[Sequence[str]],
    *,
    env: Mapping[str, str] | None = None,
    stop_timeout: float = 25.0,
    poll_interval: float = 0.1,
    on_poll: Callable[[], object] | None = None,
) -> int:
    """Run the commands side by side until a signal comes or one of them ends.

    SIGINT / SIGTERM / SIGHUP are forwarded to every child (each runs in its own process group,
    so that Ctrl-C in the terminal reaches them once, through us); we wait for them and return 0.
    If a child ends by itself, the others are stopped and its exit code (at least 1) returned.
    `on_poll` is called on every turn of the loop while all children run.
    """
    received: list[int] = []

    def remember(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = {signum: signal.signal(signum, remember) for signum in _FORWARDED_SIGNALS}
    children: list[subprocess.Popen[bytes]] = []
    names: list[str] = []
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    try:
        for command in commands:
            names.append(" ".join(command))
            try:
                children.append(
                    subprocess.Popen(  # noqa: S603 - our own commands, no shell
                        list(command),
                        env=None if env is None else dict(env),
                        stdin=subprocess.DEVNULL,
                        process_group=0,
                        preexec_fn=preexec,  # no threads yet: safe
                    )
                )
            except OSError as error:
                print(
                    _("Could not start %(command)s: %(error)s")
                    % {"command": " ".join(command), "error": error},
                    file=sys.stderr,
                )
                _stop_children(children, signal.SIGTERM, timeout=stop_timeout)
                return 1
        while not received:
            for name, child in zip(names, children, strict=False):
                code = child.poll()
                if code is not None:
                    print(
                        _("%(command)s stopped (exit code %(code)s); stopping the others.")
                        % {"command": name, "code": code},
                        file=sys.stderr,
                        flush=True,
                    )
                    _stop_children(children, signal.SIGTERM, timeout=stop_timeout)
                    return code if code > 0 else 1
            if on_poll is not None:
                on_poll()
            time.sleep(poll_interval)
        first = len(received)
        print(_("Stopping…"), file=sys.stderr, flush=True)
        # A second Ctrl-C while we wait means "now": the stragglers are killed.
        _stop_children(
            children,
            _FORWARDED_SIGNALS[signal.Signals(received[0])],
            timeout=stop_timeout,
            hurry=lambda: len(received) > first,
        )
        return 0
    finally:
        _stop_children(children, signal.SIGKILL, timeout=0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _port_is_open(bind: str) -> bool:
    host, _sep, port = bind.rpartition(":")
    host = host.strip("[]")
    if host in {"", "0.0.0.0", "::"}:  # noqa: S104 - we connect, we do not bind
        host = "127.0.0.1" if host != "::" else "::1"
    try:
        with socket.create_connection((host, int(port)), timeout=0.2):
            return True
    except (OSError, ValueError):
        return False


def site_url_for(bind: str) -> str:
    if bind.startswith("unix:"):
        return bind
    host, _sep, port = bind.rpartition(":")
    if host in {"", "0.0.0.0"}:  # noqa: S104
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


# --- Commands ---------------------------------------------------------------------------------


def demo_environment(bind: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables the demo sets, whatever the environment or a .env file say.

    The demo always runs on its embedded SQLite database and prints its emails: a .env written
    for production (PostgreSQL, SMTP, HTTPS only) in the same checkout must neither receive
    demo accounts, whose password is public, nor keep the demo from working on plain HTTP.
    """
    host = bind.rpartition(":")[0].strip("[]") if not bind.startswith("unix:") else ""
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - listening everywhere: any name will do
        hosts = ["*"]
    elif host and host not in hosts:
        hosts.append(f"[{host}]" if ":" in host else host)
    return {
        "MAILLAGE_MODE": "demo",
        "MAILLAGE_DATA_DIR": environ.get("MAILLAGE_DATA_DIR") or str(PACKAGE_DIR.parent / "var"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "EMAIL_URL": "consolemail://",
        "MAILLAGE_HTTPS": "false",
        "BEHIND_PROXY": "false",
        "CSRF_TRUSTED_ORIGINS": "",
        "ALLOWED_HOSTS": ",".join(hosts),
        "SITE_URL": site_url_for(bind).rstrip("/"),
        "DEBUG": "false",
    }


def command_demo(options: argparse.Namespace, extra: Sequence[str]) -> int:
    os.environ.update(demo_environment(options.bind, os.environ))
    setup_django(mode="demo")
    from django.conf import settings

    from maillage.members import demo as members_demo

    print(_("Preparing the demo in %(path)s…") % {"path": settings.DATA_DIR}, flush=True)
    call("migrate", interactive=False, verbosity=0)
    collect_static_if_needed()
    print(_("Loading the demo data…"), flush=True)
    call("load_demo", verbosity=1)

    bind: str = options.bind
    url = site_url_for(bind)
    announced = False

    def announce_when_listening() -> None:
        nonlocal announced
        if announced or not (bind.startswith("unix:") or _port_is_open(bind)):
            return
        announced = True
        lines = [
            "",
            _("The Maillage demo is running: %(url)s") % {"url": url},
            _("Demo logins (password: %(password)s):") % {"password": members_demo.DEMO_PASSWORD},
        ]
        width = max(len(email) for email, _role in members_demo.DEMO_LOGINS)
        lines += [f"  {email:<{width}}  {role}" for email, role in members_demo.DEMO_LOGINS]
        lines += [
            _("Administration: %(url)sadmin/") % {"url": url},
            _("Emails are printed here instead of being sent."),
            _("Ctrl-C stops the site and the worker."),
            "",
        ]
        print("\n".join(lines), flush=True)

    web_workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or DEMO_WEB_WORKERS
    return supervise(
        [gunicorn_command(bind=bind, workers=web_workers), worker_command()],
        env=dict(os.environ),
        on_poll=announce_when_listening,
    )


def command_serve(options: argparse.Namespace, extra: Sequence[str]) -> int:
    setup_django()
    pending = unapplied_migrations()
    if pending and options.migrate:
        call("migrate", interactive=False, verbosity=1)
    elif pending:
        raise CommandFailed(
            ngettext(
                "%(count)d database migration is not applied yet (%(first)s). "
                "Run “maillage migrate” first, or start with --migrate.",
                "%(count)d database migrations are not applied yet (%(first)s…). "
                "Run “maillage migrate” first, or start with --migrate.",
                len(pending),
            )
            % {"count": len(pending), "first": pending[0]}
        )
    collect_static_if_needed()
    command = gunicorn_command(bind=options.bind or default_bind(), workers=options.workers)
    sys.stdout.flush()
    sys.stderr.flush()
    # gunicorn takes our place: the process manager (systemd, a container) signals it directly.
    os.execv(command[0], command)  # noqa: S606


def command_worker(options: argparse.Namespace, extra: Sequence[str]) -> int:
    arguments = ["run_huey"]
    if options.workers:
        arguments += ["--workers", str(options.workers)]
    return run_django_command([*arguments, *extra])


def command_createadmin(options: argparse.Namespace, extra: Sequence[str]) -> int:
    setup_django()
    call("createadmin", email=options.email, name=options.name, interactive=options.interactive)
    return 0


def command_check(options: argparse.Namespace, extra: Sequence[str]) -> int:
    setup_django()
    from django.conf import settings

    call("check", deploy=options.deploy or settings.MODE == "production")
    call("check_services")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace, Sequence[str]], int]] = {
    "demo": command_demo,
    "serve": command_serve,
    "worker": command_worker,
    "createadmin": command_createadmin,
    "check": command_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    use_language(cli_language())
    try:
        if arguments and not arguments[0].startswith("-") and arguments[0] not in COMMANDS:
            return run_django_command(arguments)
        parser = build_parser()
        options, extra = parser.parse_known_args(arguments)
        if options.command is None:
            parser.print_help()
            return 0
        if extra and options.command != "worker":
            parser.error(_("unrecognised arguments: %s") % " ".join(extra))
        return HANDLERS[options.command](options, extra)
    except CommandFailed as failure:
        print(f"maillage: {failure}", file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
