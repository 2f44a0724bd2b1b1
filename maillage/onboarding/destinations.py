"""Where a first step leads, decided when it is shown: the spreadsheet import of the watch, the
licence chooser, the step's own page with its feeds, the next training, or an address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from maillage.events.models import Event, EventKind
from maillage.onboarding import selectors
from maillage.onboarding.models import FirstStep, StepKind


@dataclass
class Destinations:
    """Resolves the destinations of many steps for one viewer, reading the next training once."""

    viewer: Any
    _training: Event | None = None
    _training_read: bool = False

    def next_training(self) -> Event | None:
        if not self._training_read:
            self._training = selectors.next_training(self.viewer)
            self._training_read = True
        return self._training

    def url(self, step: FirstStep) -> str:
        if step.kind == StepKind.SPREADSHEET_IMPORT:
            return reverse("veille_imports:start")
        if step.kind == StepKind.LICENCE_CHOOSER:
            return reverse("onboarding:licence")
        if step.kind == StepKind.FOLLOW_FEEDS:
            return step.get_absolute_url()
        if step.kind == StepKind.NEXT_TRAINING:
            training = self.next_training()
            if training is not None:
                return training.get_absolute_url()
            return reverse("events:list") + "?" + urlencode({"kind": EventKind.TRAINING})
        return step.url or step.get_absolute_url()

    def is_external(self, step: FirstStep) -> bool:
        return step.kind == StepKind.LINK and step.url.startswith(("http://", "https://"))
