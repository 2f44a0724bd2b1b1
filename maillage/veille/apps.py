from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeilleConfig(AppConfig):
    name = "maillage.veille"
    label = "veille"
    verbose_name = _("Shared watch")
