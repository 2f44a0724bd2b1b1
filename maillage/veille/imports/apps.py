from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeilleImportsConfig(AppConfig):
    name = "maillage.veille.imports"
    label = "veille_imports"
    verbose_name = _("Bookmark imports")
