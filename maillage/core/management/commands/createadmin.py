"""Create a coordinator with every right: the first account of a new installation."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PASSWORD_VARIABLE = "MAILLAGE_ADMIN_PASSWORD"  # noqa: S105 - a variable name


class Command(BaseCommand):
    help = gettext_lazy(
        "Create a coordinator account that may use the administration pages "
        "(password from MAILLAGE_ADMIN_PASSWORD, or asked for)."
    )  # type: ignore[assignment]
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help=_("Email address (used to log in)."))
        parser.add_argument("--name", help=_("Display name."))
        parser.add_argument(
            "--no-input",
            dest="interactive",
            action="store_false",
            help=_("Never ask: fail if something is missing."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive: bool = options["interactive"] and sys.stdin.isatty()
        user_model = get_user_model()

        email = self._email(options["email"], interactive=interactive)
        if user_model._default_manager.filter(email__iexact=email).exists():
            raise CommandError(_("An account already uses %(email)s.") % {"email": email})
        name = (options["name"] or "").strip()
        while not name:
            if not interactive:
                raise CommandError(_("A display name is required (--name)."))
            name = input(_("Display name: ")).strip()

        candidate = user_model(email=email, display_name=name)
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if password:
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        elif not interactive:
            raise CommandError(
                _("Set the password in %(variable)s, or run this command in a terminal.")
                % {"variable": PASSWORD_VARIABLE}
            )
        else:
            password = self._ask_password(candidate)

        with transaction.atomic():
            user = user_model._default_manager.create_superuser(email, password, display_name=name)
        self.stdout.write(
            self.style.SUCCESS(
                _("Coordinator %(name)s <%(email)s> created: they may log in and use /admin/.")
                % {"name": user.display_name, "email": user.email}
            )
        )

    def _email(self, given: str | None, *, interactive: bool) -> str:
        email = (given or "").strip().lower()
        while True:
            if not email:
                if not interactive:
                    raise CommandError(_("An email address is required (--email)."))
                email = input(_("Email address: ")).strip().lower()
                continue
            try:
                validate_email(email)
            except ValidationError:
                if not interactive:
                    raise CommandError(
                        _("%(email)s is not a valid email address.") % {"email": email}
                    ) from None
                self.stderr.write(_("%(email)s is not a valid email address.") % {"email": email})
                email = ""
                continue
            return email

    def _ask_password(self, candidate: Any) -> str:
        while True:
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                self.stderr.write(_("The two passwords differ."))
                continue
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
