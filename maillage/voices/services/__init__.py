"""Actions that change a space: people (space.py), strategy and channels (strategy.py), voices'
charter and training (voices.py), posts and their review (posts.py), publishing (publishing.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class VoicesError(Exception):
    default_message: Any = _("This action is not possible.")

    def __init__(self, message: Any = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotAllowed(VoicesError):
    default_message = _("Your role in this space does not allow this.")


class StrategyFirst(VoicesError):
    default_message = _(
        "Strategy before the tool: describe at least one audience and one key message for it "
        "before adding a channel. A channel is chosen for the people it reaches."
    )


class InvalidTransition(VoicesError):
    default_message = _("This post cannot go there from where it is.")
