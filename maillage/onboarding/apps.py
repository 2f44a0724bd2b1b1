from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "maillage.onboarding"
    label = "onboarding"
    verbose_name = _("First steps")

    def ready(self) -> None:
        from maillage.onboarding.review import register_with_review_policy

        # Proposed objections and answers go through the review policy (core.review).
        register_with_review_policy()
