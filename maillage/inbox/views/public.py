"""Pages anyone may open: ask a question (no account), confirm it from the email, and the
questions answered publicly with their askers' consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maillage.core.ratelimit import client_ip
from maillage.inbox import forms, selectors
from maillage.inbox.deadlines import settings_or_default
from maillage.inbox.models import QuestionState
from maillage.inbox.services import InboxError
from maillage.inbox.services import questions as services
from maillage.voices.models import Space, Voice
from maillage.voices.views.common import get_space, space_context

SENT_NOTICE = gettext_lazy(
    "Almost done: we sent you an email. Open the link in it to send your question."
)


def _public_voice(space: Space, slug: str | None) -> Voice | None:
    if not slug:
        return None
    voice = get_object_or_404(space.voices.select_related("user"), slug=slug)
    if not voice.public:
        raise Http404
    return voice


def questions(request: HttpRequest, space: str) -> HttpResponse:
    """The questions the institution answered in public: a growing FAQ."""
    found = get_space(space)
    page = Paginator(selectors.public_questions(found), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        **space_context(found, request.user),
        "page": page,
        "accepts": settings_or_default(found).accepts_questions,
        "form": forms.AskForm(),
    }
    return render(request, "inbox/public_list.html", context)


def public_question(request: HttpRequest, space: str, pk: int) -> HttpResponse:
    found = get_space(space)
    question = selectors.public_question(found, pk)
    if question is None:
        raise Http404(_("No question here."))
    context = {**space_context(found, request.user), "question": question}
    return render(request, "inbox/public_question.html", context)


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, space: str, voice: str | None = None) -> HttpResponse:
    found = get_space(space)
    person = _public_voice(found, voice)
    accepts = settings_or_default(found).accepts_questions
    form = forms.AskForm(request.POST or None)
    status = 200
    if request.method == "POST" and accepts:
        if form.is_spam():
            # Answer as if it worked: a robot learns nothing from the reply.
            messages.success(request, SENT_NOTICE)
            return redirect(request.path + "?envoyee=1")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.ask(
                    space=found,
                    name=data["name"],
                    email=data["email"],
                    subject=data["subject"],
                    body=data["body"],
                    consent_public=data["consent_public"],
                    voice=person,
                    ip=client_ip(request),
                )
            except InboxError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, SENT_NOTICE)
                return redirect(request.path + "?envoyee=1")
        else:
            status = 400
    context = {
        **space_context(found, request.user),
        "form": form,
        "voice": person,
        "accepts": accepts,
        "sent": request.GET.get("envoyee") == "1",
    }
    return render(request, "inbox/ask.html", context, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the asker's email: a page with a button (mail scanners follow links and must
    not send anything), then the question enters the inbox."""
    question = services.question_for_token(token)
    if question is None:
        return render(request, "inbox/confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        if question.state == QuestionState.UNCONFIRMED:
            question = services.confirm(token=token)
        if "consent" in request.POST:
            services.set_consent(question=question, consent=request.POST.get("consent") == "1")
            question.refresh_from_db()
        messages.success(request, _("Thank you: your question is on its way to who knows best."))
        return redirect(request.path)
    context = {"question": question, "space": question.space}
    return render(request, "inbox/confirm.html", context)
