"""What the search index holds of members (core.search): active members' profiles, each field
only for those its own visibility allows (what people not logged in find, what members find)."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet

from maillage.core import search
from maillage.core.visibility import Visibility
from maillage.members.models import User


def _profile(member: User, levels: set[str], audience: str, variant: str) -> search.Document:
    def shown(field: str) -> bool:
        return getattr(member, f"{field}_visibility") in levels

    institution = member.institution if shown("institution") else None
    profession = member.get_profession_display() if shown("profession") else ""
    return search.Document(
        title=member.display_name,
        body="\n".join(
            part
            for part in (
                profession,
                str(institution) if institution else "",
                search.plain_text(member.bio) if shown("bio") else "",
            )
            if part
        ),
        tags=[tag.name for tag in member.expertise.all()] if shown("expertise") else [],
        audience=audience,
        owner_id=member.pk,
        members=[member.pk],
        date=member.date_joined,
        url=search.fast_url("members:profile", "pk", member.pk),
        subject=str(profession),
        byline=institution.name if institution else "",
        variant=variant,
    )


def member_documents(member: User) -> list[search.Document] | None:
    if not member.is_active:
        return None
    everyone = _profile(member, {Visibility.PUBLIC}, search.Audience.PUBLIC, "")
    network = _profile(
        member, {Visibility.PUBLIC, Visibility.MEMBERS}, search.Audience.MEMBERS, "members"
    )
    if (everyone.body, everyone.tags) == (network.body, network.tags):
        return [everyone]
    # Members see more of this profile: people not logged in get the public face only.
    return [
        replace(everyone, audience=search.Audience.ANONYMOUS, variant="public"),
        network,
    ]


def indexed_members() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .select_related("institution")
        .prefetch_related("expertise")
    )


search.register(User, kind=search.Kind.MEMBER, documents=member_documents, queryset=indexed_members)
