from django.contrib import admin

from maillage.inbox.models import (
    Absence,
    Answer,
    Assignment,
    ChannelReading,
    Holiday,
    InboxSettings,
    Question,
)


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(InboxSettings)
class InboxSettingsAdmin(admin.ModelAdmin):
    list_display = ["space", "response_hours", "reminder_hours", "email_address", "triage_role"]
    search_fields = ["space__institution__name", "email_address"]
    inlines = [HolidayInline]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "settings"]
    list_filter = ["settings"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["voice", "starts_on", "ends_on", "note"]
    raw_id_fields = ["voice"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["voice", "by"]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    raw_id_fields = ["voice", "author"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["subject", "space", "channel", "state", "assignee", "hops", "received_at"]
    list_filter = ["state", "channel", "routing", "space"]
    search_fields = ["subject", "asker_email", "asker_name"]
    raw_id_fields = ["assignee", "addressed_to", "topic", "follow_up_of", "comment"]
    date_hierarchy = "received_at"
    inlines = [AssignmentInline, AnswerInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["question", "voice", "kind", "is_hop", "by", "created_at"]
    list_filter = ["kind", "is_hop"]
    raw_id_fields = ["question", "voice", "by"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "question", "voice", "kind", "state", "sent_at"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["question", "voice", "author"]


@admin.register(ChannelReading)
class ChannelReadingAdmin(admin.ModelAdmin):
    list_display = ["channel", "last_remote_id", "read_at"]
