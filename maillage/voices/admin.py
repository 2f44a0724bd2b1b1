from django.contrib import admin

from maillage.voices.models import (
    Audience,
    Channel,
    Delivery,
    Goal,
    Invitation,
    KeyMessage,
    Membership,
    Post,
    Reaction,
    Space,
    StrategyVersion,
    Voice,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["institution", "slug", "review_hours", "on_silence", "sample_rate"]
    search_fields = ["institution__name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "space", "role", "created_at"]
    list_filter = ["role", "space"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "space", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["space", "role"]
    readonly_fields = ["token_digest", "accepted_by"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["text", "strategy_line", "space"]
    list_filter = ["space"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "space", "rough_size", "archived"]
    list_filter = ["space", "archived"]


@admin.register(KeyMessage)
class KeyMessageAdmin(admin.ModelAdmin):
    list_display = ["text", "audience", "space", "archived"]
    list_filter = ["space", "archived"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(admin.ModelAdmin):
    list_display = ["space", "number", "change", "created_by", "created_at"]
    list_filter = ["space"]
    readonly_fields = ["snapshot"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "space", "target_per_week", "active"]
    list_filter = ["kind", "space", "active"]
    # Credentials are entered on the channel's page, where they are encrypted; never shown.
    exclude = ["credentials"]


@admin.register(Voice)
class VoiceAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "space", "charter_accepted_at", "training_done_at"]
    list_filter = ["space"]
    raw_id_fields = ["user", "training_event"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["remote_id", "remote_url", "error", "attempts", "published_at"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "voice", "state", "scheduled_for", "published_at"]
    list_filter = ["state", "space", "tone"]
    search_fields = ["text"]
    raw_id_fields = ["author", "voice", "repost_of"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["post", "channel", "state", "attempts", "published_at"]
    list_filter = ["state", "channel__kind"]


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["post", "user", "created_at"]
    raw_id_fields = ["post", "user"]
