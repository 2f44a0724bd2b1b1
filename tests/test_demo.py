"""The demo data: drawn from the seed's facts, loadable twice, with logins that work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from maillage.core import demo as core_demo
from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.members import demo as members_demo
from maillage.members.models import Institution, Profession, ProfileLink, Role, User

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_members() -> int:
    """The members demo's accounts (other apps' demos may add people, e.g. a museum's staff)."""
    return User.objects.filter(email__in=[member.email for member in members_demo.MEMBERS]).count()


def counts() -> dict[str, int]:
    return {
        "all people": User.objects.count(),
        "members": demo_members(),
        "institutions": Institution.objects.count(),
        "tags": Tag.objects.count(),
        "expertise": User.expertise.through.objects.count(),
        "links": ProfileLink.objects.count(),
    }


def test_loading_twice_creates_nothing_more() -> None:
    load()
    first = counts()
    load()
    assert counts() == first
    assert first["members"] == len(members_demo.MEMBERS) >= 18
    # The network's institutions, and beside them those of projects shown elsewhere (showcase).
    network = [institution.name for institution in members_demo.INSTITUTIONS]
    found = Institution.objects.filter(name__in=network).values_list("name", flat=True)
    assert set(found) == set(network)
    assert first["institutions"] >= len(network)
    assert first["expertise"] > first["members"]


def test_load_demo_says_what_it_loaded() -> None:
    assert "members" in load()


def test_every_profession_of_the_vocabulary_is_present() -> None:
    load()
    professions = set(User.objects.values_list("profession", flat=True))
    assert professions == set(Profession.values)
    # The seed's first workshop: mostly librarians and documentalists.
    assert User.objects.filter(profession=Profession.LIBRARIAN).count() >= 4
    assert User.objects.filter(profession=Profession.DOCUMENTALIST).count() >= 3


def test_institutions_are_of_many_kinds() -> None:
    load()
    kinds = set(Institution.objects.values_list("kind", flat=True))
    assert {"university_library", "media_library", "museum", "archives", "school"} <= kinds
    assert "association" in kinds


def test_one_coordinator_with_every_right() -> None:
    load()
    coordinators = User.objects.filter(role=Role.COORDINATOR)
    assert [user.email for user in coordinators] == [members_demo.COORDINATOR_EMAIL]
    coordinator = coordinators.get()
    assert coordinator.is_superuser and coordinator.is_staff
    assert coordinator.trust_level == 4
    assert coordinator.is_coordinator


def test_the_facilitator_and_the_first_workshop() -> None:
    load()
    facilitator = User.objects.get(email=members_demo.FACILITATOR_EMAIL)
    assert facilitator.role == Role.MEMBER
    assert facilitator.trust_level >= 3
    participants = members_demo.FIRST_WORKSHOP_PARTICIPANTS
    assert len(participants) == 15
    assert User.objects.filter(email__in=participants).count() == 15
    assert members_demo.COORDINATOR_EMAIL in participants
    assert members_demo.FACILITATOR_EMAIL in participants
    professions = set(
        User.objects.filter(email__in=participants).values_list("profession", flat=True)
    )
    assert {Profession.LIBRARIAN, Profession.DOCUMENTALIST, Profession.STUDENT} <= professions


def test_expertise_uses_shared_tags() -> None:
    load()
    for name in ("veille", "réseaux sociaux", "Flickr", "licences libres", "blog", "Facebook"):
        tag = Tag.objects.for_names([name])[0]
        assert tag.experts.exists(), name
    assert Tag.objects.filter(slug="mediation-numerique").exists()


def test_fields_have_different_visibilities() -> None:
    load()
    for field in ("bio_visibility", "profession_visibility", "email_visibility"):
        assert len(set(User.objects.values_list(field, flat=True))) > 1, field
    assert User.objects.filter(bio_visibility=Visibility.PRIVATE).exists()


def test_the_real_people_of_the_seed_are_not_named() -> None:
    load()
    for user in User.objects.all():
        text = f"{user.display_name} {user.bio}"
        for name in ("Bausson", "Desfarges", "Léa"):
            assert name not in text


def test_bios_are_french_prose() -> None:
    load()
    bios = list(User.objects.values_list("bio", flat=True))
    assert all(len(bio) > 60 for bio in bios)
    assert sum("’" in bio for bio in bios) > 5  # French apostrophes, not ASCII quotes


@pytest.mark.parametrize("email", [email for email, _role in members_demo.DEMO_LOGINS])
def test_demo_logins_work(client: Client, email: str) -> None:
    load()
    assert client.login(username=email, password=members_demo.DEMO_PASSWORD)


def test_every_demo_member_can_log_in() -> None:
    load()
    for user in User.objects.all():
        assert user.check_password(members_demo.DEMO_PASSWORD), user.email
        assert user.email_confirmed_at is not None


def test_loading_again_keeps_a_password_changed_since() -> None:
    load()
    user = User.objects.get(email=members_demo.MEMBER_EMAIL)
    user.set_password("another long passphrase")
    user.save()
    load()
    user.refresh_from_db()
    assert user.check_password("another long passphrase")


def test_loaders_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    core_demo.demo_loaders()  # imports every app's demo module (registers its loaders)
    monkeypatch.setattr(core_demo, "_loaders", dict(core_demo._loaders))
    calls: list[str] = []
    core_demo.register_demo_loader("late", lambda: calls.append("late") or None, order=900)
    core_demo.register_demo_loader("early", lambda: calls.append("early") or None, order=1)
    names = [loader.name for loader in core_demo.demo_loaders()]
    assert names.index("early") < names.index("members") < names.index("late")
    core_demo.load_demo_data()
    assert calls == ["early", "late"]


def test_a_failing_loader_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    core_demo.demo_loaders()
    monkeypatch.setattr(core_demo, "_loaders", dict(core_demo._loaders))

    def broken() -> str:
        raise RuntimeError("broken loader")

    core_demo.register_demo_loader("broken", broken, order=999)
    with pytest.raises(RuntimeError):
        core_demo.load_demo_data()
    assert User.objects.count() == 0
    assert Institution.objects.count() == 0


def test_refuses_to_load_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MODE = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert User.objects.count() == 0
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert demo_members() == len(members_demo.MEMBERS)
