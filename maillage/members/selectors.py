"""Queries that read members and institutions, always on behalf of a viewer."""

from __future__ import annotations

from django.db.models import Count, Q

from maillage.members.models import Institution, User


def network_summary() -> dict[str, int]:
    """Figures for the home page: active members, institutions with members, professions."""
    active = User.objects.filter(is_active=True)
    return {
        "members": active.count(),
        "institutions": Institution.objects.annotate(
            active_members=Count("members", filter=Q(members__is_active=True))
        )
        .filter(active_members__gt=0)
        .count(),
        "professions": active.exclude(profession="").values("profession").distinct().count(),
    }
