"""Demo data for imports: the Excel sheet a new member can import to see the columns step."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.veille.imports.demo_sheet import ensure_demo_sheet


def load_demo_sheet() -> str:
    path = ensure_demo_sheet()
    return _("Excel sheet to import: %(path)s") % {"path": path}


register_demo_loader("veille_imports", load_demo_sheet, order=90)
