"""Tell a member, on their next visit, that mail to them was suspended after bounces."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from maillage.mailing.services import subscriptions


class SuspensionNoticeMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. Looks only at the cache (no query)
    and only for requests that carry a session, so other pages' costs and headers stay as
    they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not request.headers.get(
            "HX-Request"
        ):
            member_id = request.session.get("_auth_user_id")
            if member_id is not None and subscriptions.notice_pending(int(member_id)):
                messages.warning(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _(
                            "Our emails to your address keep coming back, so we stopped "
                            "sending them."
                        ),
                        reverse("mailing:subscriptions"),
                        _("Check your address and start them again"),
                    ),
                )
                subscriptions.mark_notice_shown(member_id=int(member_id))
        return self.get_response(request)
