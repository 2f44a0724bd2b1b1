from django.contrib import admin
from django.http import HttpRequest

from maillage.onboarding.models import (
    Answer,
    FirstStep,
    HelpfulVote,
    Objection,
    Path,
    PathStep,
    Practice,
    PracticeStep,
    StepFeed,
    Tool,
)


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    fields = ["kind", "title", "body", "author", "guest_name", "visibility", "state", "featured"]
    raw_id_fields = ["author"]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "featured", "hidden", "position", "created_at"]
    list_filter = ["state", "featured", "hidden", "is_demo"]
    list_editable = ["featured", "hidden", "position"]
    search_fields = ["title", "explanation"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["proposed_by"]
    filter_horizontal = ["projects", "articles", "events"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "objection", "kind", "state", "featured", "hidden", "created_at"]
    list_filter = ["kind", "state", "featured", "hidden", "visibility", "is_demo"]
    search_fields = ["title", "body", "objection__title"]
    raw_id_fields = ["author", "objection"]


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(admin.ModelAdmin):
    list_display = ["answer", "member", "created_at"]
    raw_id_fields = ["answer", "member"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class StepFeedInline(admin.TabularInline):
    model = StepFeed
    extra = 0


@admin.register(FirstStep)
class FirstStepAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "minutes", "for_everyone", "position"]
    list_filter = ["kind", "for_everyone", "is_demo"]
    list_editable = ["for_everyone", "position"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StepFeedInline]


class PracticeStepInline(admin.TabularInline):
    model = PracticeStep
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["label", "active", "position"]
    list_filter = ["active", "is_demo"]
    list_editable = ["active", "position"]
    search_fields = ["label", "description"]
    prepopulated_fields = {"slug": ["label"]}
    filter_horizontal = ["tools"]
    inlines = [PracticeStepInline]


@admin.register(StepFeed)
class StepFeedAdmin(admin.ModelAdmin):
    list_display = ["title", "step", "url", "position"]


@admin.register(PracticeStep)
class PracticeStepAdmin(admin.ModelAdmin):
    list_display = ["practice", "step", "position"]


class PathStepInline(admin.TabularInline):
    model = PathStep
    extra = 0
    fields = ["position", "step", "objection", "done_at"]
    readonly_fields = ["position", "step", "objection", "done_at"]


@admin.register(Path)
class PathAdmin(admin.ModelAdmin):
    """Paths hold what one person answered: coordinators read the counts page instead; the
    admin shows neither the token (the link) nor the answers in the list."""

    list_display = ["__str__", "created_at", "updated_at"]
    readonly_fields = ["owner", "created_at", "updated_at"]
    exclude = ["practices", "objections"]
    inlines = [PathStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PathStep)
class PathStepAdmin(admin.ModelAdmin):
    list_display = ["path", "position", "step", "objection", "done_at"]
    readonly_fields = ["path", "position", "step", "objection", "done_at"]
