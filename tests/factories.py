"""factory_boy factories, one per model (DESIGN.md: every model has one)."""

from __future__ import annotations

import factory
from django.utils import timezone

from maillage.core.models import Tag
from maillage.core.tags import tag_slug
from maillage.members.models import Institution, InstitutionKind, Profession, ProfileLink, User

PASSWORD = "correct horse battery staple"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"sujet {n}")
    slug = factory.LazyAttribute(lambda tag: tag_slug(tag.name))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Médiathèque n°{n}")
    kind = InstitutionKind.MEDIA_LIBRARY
    city = "Rennes"
    website = factory.Sequence(lambda n: f"https://mediatheque{n}.example.org/")


class UserFactory(factory.django.DjangoModelFactory):
    """An active member whose email address is confirmed; password: PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"membre{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Membre {n}")
    password = factory.django.Password(PASSWORD)
    is_active = True
    email_confirmed_at = factory.LazyFunction(timezone.now)
    profession = Profession.LIBRARIAN

    @factory.post_generation
    def expertise(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.expertise.set(extracted)  # type: ignore[attr-defined]


class ProfileLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileLink

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Mon blog {n}")
    url = factory.Sequence(lambda n: f"https://blog{n}.example.org/")
    position = 0
