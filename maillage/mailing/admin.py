"""Admin pages of the list. Coordinators create topic lists and choose their settings here;
messages change status only through the moderation queue, mail rows only through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core import search
from maillage.core.admin import CoordinatorAccessMixin
from maillage.mailing.models import (
    Attachment,
    Bounce,
    Delivery,
    DeliveryState,
    Digest,
    FollowedTag,
    InboundMail,
    MailingList,
    Message,
    Subscription,
    Thread,
)
from maillage.mailing.services import incoming, subscriptions


@admin.register(MailingList)
class MailingListAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["name", "local_part", "is_network_list", "posting_policy", "archive_access"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # Who finds its messages may have changed (public or members-only).
        search.index(obj)


@admin.register(Subscription)
class SubscriptionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["member", "mailing_list", "mode", "unsubscribed_at", "suspended_at"]
    list_filter = ["mailing_list", "mode"]
    search_fields = ["member__email", "member__display_name"]
    raw_id_fields = ["member"]
    readonly_fields = ["suspension_notified_at"]
    actions = ["resume"]

    @admin.action(description=_("Send to them again (their address works)"))
    def resume(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset.select_related("member"):
            subscriptions.resume_delivery(member=subscription.member)


@admin.register(FollowedTag)
class FollowedTagAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["member", "tag", "created_at"]
    raw_id_fields = ["member", "tag"]


@admin.register(Thread)
class ThreadAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["subject", "mailing_list", "message_count", "last_message_at"]
    list_filter = ["mailing_list"]
    search_fields = ["subject"]
    raw_id_fields = ["started_by"]
    readonly_fields = ["message_count", "last_message_at"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["filename", "content_type", "size"]


@admin.register(Message)
class MessageAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["subject", "author_name", "mailing_list", "status", "source", "created_at"]
    list_filter = ["mailing_list", "status", "source"]
    search_fields = ["subject", "body", "author_name", "message_id"]
    raw_id_fields = ["thread", "author", "parent", "inbound"]
    readonly_fields = ["status", "published_at", "distributed_at", "message_id", "references"]
    inlines = [AttachmentInline]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["message", "address", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["address"]
    raw_id_fields = ["message", "member"]
    readonly_fields = ["state", "attempts", "sent_at", "last_error"]
    actions = ["send_again"]

    @admin.action(description=_("Send again now"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = queryset.exclude(state=DeliveryState.SENT).update(
            state=DeliveryState.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        messages.success(request, _("%(count)s deliveries will be sent again.") % {"count": count})


@admin.register(Digest)
class DigestAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["member", "period", "period_start", "state", "item_count", "sent_at"]
    list_filter = ["period", "state", "period_start"]
    raw_id_fields = ["member"]
    readonly_fields = ["state", "attempts", "sent_at", "last_error", "item_count", "empty"]


@admin.register(InboundMail)
class InboundMailAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["received_at", "sender", "recipient", "subject", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["sender", "recipient", "subject", "message_id_header"]
    readonly_fields = [
        "received_at",
        "recipient",
        "envelope_from",
        "raw",
        "size",
        "sender",
        "subject",
        "message_id_header",
        "outcome",
        "detail",
        "handled_at",
    ]
    actions = ["handle_again"]

    @admin.action(description=_("Handle again (after an error)"))
    def handle_again(self, request: HttpRequest, queryset: QuerySet[InboundMail]) -> None:
        for inbound in queryset:
            incoming.handle(inbound)


@admin.register(Bounce)
class BounceAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["address", "kind", "status", "member", "received_at"]
    list_filter = ["kind"]
    search_fields = ["address", "diagnostic"]
    raw_id_fields = ["member", "delivery", "digest", "inbound"]
