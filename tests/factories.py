"""factory_boy factories, one per model (DESIGN.md: every model has one)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from maillage.core.models import Tag
from maillage.core.tags import tag_slug
from maillage.members.models import (
    Institution,
    InstitutionKind,
    Profession,
    ProfileLink,
    Role,
    User,
)
from maillage.veille.urls_normalise import normalise_url, url_digest

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


class EventFactory(factory.django.DjangoModelFactory):
    """A published workshop a week from now, 1 h 45 long, with 15 places."""

    class Meta:
        model = "events.Event"
        skip_postgeneration_save = True

    kind = "workshop"
    title = factory.Sequence(lambda n: f"Atelier n°{n}")
    summary = "Un atelier participatif du réseau."
    description = "On y parle de **réseaux sociaux** et d’institutions."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=1, minutes=45))
    time_zone = "Europe/Paris"
    place_name = "Musée de la Vilaine"
    place_address = "12 quai Lamennais, Rennes"
    capacity = 15
    status = "published"
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)

    @factory.post_generation
    def organisers(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create and extracted:
            self.organisers.set(extracted)  # type: ignore[attr-defined]


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed guest registration (no member account)."""

    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Invité·e {n}")
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    profession = Profession.LIBRARIAN
    status = "confirmed"
    confirmed_at = factory.LazyFunction(timezone.now)
    check_in_code = factory.Sequence(lambda n: f"C{n:05d}")


class CommentFactory(factory.django.DjangoModelFactory):
    """A published member's comment on an event (pass `target=` for another page)."""

    class Meta:
        model = "comments.Comment"

    target = factory.SubFactory(EventFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Merci pour cet atelier, remarque n°{n}.")
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class CommentSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.CommentSubscription"

    target = factory.SubFactory(EventFactory)
    email = factory.Sequence(lambda n: f"abonne{n}@example.org")


class ReviewPolicyFactory(factory.django.DjangoModelFactory):
    """The network's review policy with its defaults (one row)."""

    class Meta:
        model = "core.ReviewPolicy"
        django_get_or_create = ("id",)

    id = 1


class ReviewRecordFactory(factory.django.DjangoModelFactory):
    """A held comment on a member's profile link (any model can stand for the content)."""

    class Meta:
        model = "core.ReviewRecord"
        exclude = ("target",)

    target = factory.SubFactory(ProfileLinkFactory)
    content_type = factory.LazyAttribute(
        lambda record: ContentType.objects.get_for_model(record.target)
    )
    object_id = factory.LazyAttribute(lambda record: record.target.pk)
    kind = "comment"
    author = factory.LazyAttribute(lambda record: record.target.user)
    action = "hold"
    reasons = factory.LazyFunction(lambda: ["first_contributions"])
    state = "pending"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A public article published yesterday, by one member (pass authors=[…] for others)."""

    class Meta:
        model = "articles.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article n°{n}")
    summary = "Ce que nous avons appris en ouvrant un compte pour la médiathèque."
    body = "## Le contexte\n\nUn texte en **Markdown** sur nos pratiques du web social."
    status = "published"
    visibility = "public"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def authors(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create:
            self.authors.set(extracted or [self.created_by])  # type: ignore[attr-defined]

    @factory.post_generation
    def tags(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)  # type: ignore[attr-defined]


class FurtherLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.FurtherLink"

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Pour aller plus loin n°{n}")
    url = factory.Sequence(lambda n: f"https://lien{n}.example.org/")
    note = "Une lecture utile."
    position = factory.Sequence(lambda n: n)


class ArticleAttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF attached to an article."""

    class Meta:
        model = "articles.ArticleAttachment"

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Diaporama n°{n}")
    file = factory.django.FileField(filename="diapos.pdf", data=b"%PDF-1.4 diapositives")


class LinkSuggestionFactory(factory.django.DjangoModelFactory):
    """A guest's pending suggestion."""

    class Meta:
        model = "articles.LinkSuggestion"

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Suggestion n°{n}")
    url = factory.Sequence(lambda n: f"https://suggestion{n}.example.org/")
    note = "À ajouter ?"
    name = "Lecteur Invité"
    email = factory.Sequence(lambda n: f"lecteur{n}@example.org")
    status = "pending"


class BookmarkFactory(factory.django.DjangoModelFactory):
    """A members-only bookmark whose page was already read (no background fetch pending)."""

    class Meta:
        model = "veille.Bookmark"
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://veille{n}.example.org/article")
    normalised_url = factory.LazyAttribute(lambda o: normalise_url(o.url))
    url_digest = factory.LazyAttribute(lambda o: url_digest(o.normalised_url))
    title = factory.Sequence(lambda n: f"Signet n°{n}")
    visibility = "members"
    fetch_status = "done"

    @factory.post_generation
    def tags(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)  # type: ignore[attr-defined]


class BookmarkListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "veille.BookmarkList"

    title = factory.Sequence(lambda n: f"Liste n°{n}")
    owner = factory.SubFactory(UserFactory)
    visibility = "members"


class ListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "veille.ListItem"

    bookmark_list = factory.SubFactory(BookmarkListFactory)
    bookmark = factory.SubFactory(BookmarkFactory)
    position = factory.Sequence(lambda n: n)


class FeedFactory(factory.django.DjangoModelFactory):
    """A feed of the watch's sources, never fetched yet (so due now)."""

    class Meta:
        model = "sources.Feed"
        django_get_or_create = ("url_digest",)

    url = factory.Sequence(lambda n: f"https://blog{n}.example.org/feed.xml")
    url_digest = factory.LazyAttribute(lambda feed: url_digest(normalise_url(feed.url)))
    title = factory.Sequence(lambda n: f"Blog n°{n}")
    site_url = factory.LazyAttribute(lambda feed: feed.url.rsplit("/", 1)[0] + "/")


class SourceSubscriptionFactory(factory.django.DjangoModelFactory):
    """A member following a feed (pass member=None, for_network=True for the network's)."""

    class Meta:
        model = "sources.Subscription"
        skip_postgeneration_save = True

    feed = factory.SubFactory(FeedFactory)
    member = factory.SubFactory(UserFactory)
    for_network = False

    @factory.post_generation
    def tags(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)  # type: ignore[attr-defined]


class FeedEntryFactory(factory.django.DjangoModelFactory):
    """An entry read from a feed a day ago."""

    class Meta:
        model = "sources.Entry"

    feed = factory.SubFactory(FeedFactory)
    guid = factory.Sequence(lambda n: f"https://blog.example.org/billet-{n}")
    digest = factory.LazyAttribute(lambda entry: url_digest(entry.guid))
    link = factory.LazyAttribute(lambda entry: entry.guid)
    title = factory.Sequence(lambda n: f"Billet n°{n}")
    author = "Lou Le Gall"
    summary = "Un billet sur les réseaux sociaux en bibliothèque."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    fetched_at = factory.LazyFunction(timezone.now)
    sort_at = factory.LazyAttribute(lambda entry: entry.published_at or entry.fetched_at)
    last_seen_at = factory.LazyAttribute(lambda entry: entry.fetched_at)


class ReadEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sources.ReadEntry"

    user = factory.SubFactory(UserFactory)
    entry = factory.SubFactory(FeedEntryFactory)


class ReadUpToFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sources.ReadUpTo"

    user = factory.SubFactory(UserFactory)
    feed = factory.SubFactory(FeedFactory)
    read_before = factory.LazyFunction(timezone.now)


class KeptEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sources.KeptEntry"

    user = factory.SubFactory(UserFactory)
    entry = factory.SubFactory(FeedEntryFactory)
    bookmark = factory.SubFactory(
        BookmarkFactory,
        owner=factory.SelfAttribute("..user"),
        url=factory.SelfAttribute("..entry.link"),
        source="feed",
    )


class DiscoveryFactory(factory.django.DjangoModelFactory):
    """A search for a site's feeds, still running."""

    class Meta:
        model = "sources.Discovery"

    requested_by = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://site{n}.example.org/")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A partner feed, due for its first fetch."""

    class Meta:
        model = "syndication.Subscription"

    name = factory.Sequence(lambda n: f"Partenaire n°{n}")
    feed_url = factory.Sequence(lambda n: f"https://partenaire{n}.example.org/feed/")
    site_url = factory.Sequence(lambda n: f"https://partenaire{n}.example.org/")


class FeedItemFactory(factory.django.DjangoModelFactory):
    """An item of a partner's feed under CC BY-SA, not shared yet."""

    class Meta:
        model = "syndication.FeedItem"

    subscription = factory.SubFactory(SubscriptionFactory)
    guid = factory.Sequence(lambda n: f"https://partenaire.example.org/billet-{n}")
    digest = factory.LazyAttribute(lambda item: hashlib.sha256(item.guid.encode()).hexdigest())
    link = factory.LazyAttribute(lambda item: item.guid)
    title = factory.Sequence(lambda n: f"Billet n°{n}")
    author = "Anne Le Roux"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    language = "fr"
    summary = "<p>Un billet de notre partenaire sur les licences libres.</p>"
    content = (
        "<h2>Pourquoi partager</h2><p>Partager nos photos sous <strong>licence libre</strong> "
        'a changé notre façon de travailler. <a href="https://flickr.example/">Voir</a>.</p>'
    )
    licence = "CC-BY-SA-4.0"
    licence_declared = "https://creativecommons.org/licenses/by-sa/4.0/"


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A finished import of a browser's bookmarks file (its file already gone)."""

    class Meta:
        model = "veille_imports.ImportJob"

    owner = factory.SubFactory(UserFactory)
    original_name = "marque-pages.html"
    format = "netscape"
    status = "done"
    rows_read = 3
    imported = 2
    rejected = 1
    finished_at = factory.LazyFunction(timezone.now)


class ImportIssueFactory(factory.django.DjangoModelFactory):
    """A line an import refused: no web address."""

    class Meta:
        model = "veille_imports.ImportIssue"

    job = factory.SubFactory(ImportJobFactory)
    kind = "rejected"
    line = factory.Sequence(lambda n: n + 2)
    reason = "invalid_url"
    detail = "ftp://archives.example.org/"
    raw = "ftp://archives.example.org/ Archives"


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published public project of a media library (a blog), proposed by a member."""

    class Meta:
        model = "showcase.Project"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Le blog de la médiathèque n°{n}")
    summary = "Un blog où l’équipe raconte les coulisses et les coups de cœur."
    description = "Deux billets par semaine, **écrits à plusieurs**."
    institution = factory.SubFactory(InstitutionFactory)
    kind = "blog"
    status = "running"
    review_state = "published"
    published_at = factory.LazyFunction(timezone.now)
    visibility = "public"
    proposed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def audiences(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for code in extracted:
                self.audience_rows.create(audience=code)


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "showcase.Platform"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Outil {n}")
    slug = factory.LazyAttribute(lambda platform: tag_slug(platform.name))


class ProjectAudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "showcase.ProjectAudience"

    project = factory.SubFactory(ProjectFactory)
    audience = "general_public"


class ProjectLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "showcase.ProjectLink"

    project = factory.SubFactory(ProjectFactory)
    title = "Page Facebook"
    url = factory.Sequence(lambda n: f"https://facebook.example/mediatheque{n}")


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An accepted testimonial; pass kind="figure", metric=…, value=… for a figure."""

    class Meta:
        model = "showcase.Evidence"

    project = factory.SubFactory(ProjectFactory)
    kind = "testimonial"
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    title = "Un lecteur ravi"
    quote = "Grâce à ce blog, je découvre la médiathèque autrement."
    status = "accepted"


class WebmentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "showcase.Webmention"

    project = factory.SubFactory(ProjectFactory)
    source = factory.Sequence(lambda n: f"https://blog{n}.example.org/billet")
    target = factory.LazyAttribute(
        lambda mention: f"http://testserver/vitrine/{mention.project.slug}/"
    )
    status = "verified"


# --- voices (institutions on the social web) ---------------------------------------------------


class SpaceFactory(factory.django.DjangoModelFactory):
    """An institution's space with the default review settings (2 working hours, 20 % sampled)."""

    class Meta:
        model = "voices.Space"

    institution = factory.SubFactory(InstitutionFactory, kind=InstitutionKind.MUSEUM)
    charter = "Nous parlons de ce que nous connaissons le mieux ; devoir de réserve."
    charter_revision = 1


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Membership"

    space = factory.SubFactory(SpaceFactory)
    user = factory.SubFactory(UserFactory)
    role = "voice"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Invitation"

    space = factory.SubFactory(SpaceFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    role = "voice"
    token_digest = factory.Sequence(lambda n: hashlib.sha256(f"jeton-{n}".encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Goal"

    space = factory.SubFactory(SpaceFactory)
    text = "Faire connaître les collections qui dorment en réserve"
    strategy_line = "Projet scientifique et culturel, axe 2 : ouvrir les réserves"


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Audience"

    space = factory.SubFactory(SpaceFactory)
    name = factory.Sequence(lambda n: f"Public n°{n}")
    who = "Des familles de la métropole"
    cares_about = "Sorties du week-end, ateliers pour enfants"


class KeyMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.KeyMessage"

    audience = factory.SubFactory(AudienceFactory)
    space = factory.LazyAttribute(lambda message: message.audience.space)
    text = factory.Sequence(lambda n: f"Message clé n°{n}")


class StrategyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.StrategyVersion"

    space = factory.SubFactory(SpaceFactory)
    number = factory.Sequence(lambda n: n + 1)
    snapshot = factory.LazyFunction(dict)


class ChannelFactory(factory.django.DjangoModelFactory):
    """The institution's own pages (RSS/Atom), 3 posts a week."""

    class Meta:
        model = "voices.Channel"

    space = factory.SubFactory(SpaceFactory)
    kind = "site"
    name = factory.Sequence(lambda n: f"Canal n°{n}")
    target_per_week = 3
    max_length = 5000


class VoiceFactory(factory.django.DjangoModelFactory):
    """A trained voice who accepted the current charter (a membership comes with it)."""

    class Meta:
        model = "voices.Voice"
        skip_postgeneration_save = True

    space = factory.SubFactory(SpaceFactory)
    user = factory.SubFactory(UserFactory)
    title = "chargée des collections d’entomologie"
    charter_accepted_at = factory.LazyFunction(timezone.now)
    charter_revision_accepted = factory.LazyAttribute(lambda voice: voice.space.charter_revision)
    training_done_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def membership(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            from maillage.voices.models import Membership

            Membership.objects.get_or_create(
                space=self.space,  # type: ignore[attr-defined]
                user=self.user,  # type: ignore[attr-defined]
                defaults={"role": extracted or "voice"},
            )

    @factory.post_generation
    def expertise(self, create: bool, extracted: list[Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.expertise.set(extracted)  # type: ignore[attr-defined]


class PostFactory(factory.django.DjangoModelFactory):
    """A draft by a voice."""

    class Meta:
        model = "voices.Post"

    voice = factory.SubFactory(VoiceFactory)
    space = factory.LazyAttribute(lambda post: post.voice.space)
    author = factory.LazyAttribute(lambda post: post.voice.user)
    text = "Ce matin en réserve : un carabe doré de 1893, étiquette d’origine."
    tone = "behind_the_scenes"


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Delivery"

    post = factory.SubFactory(PostFactory)
    channel = factory.LazyAttribute(lambda delivery: ChannelFactory(space=delivery.post.space))


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "voices.Reaction"

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)


# --- Mailing list (maillage.mailing) ---------------------------------------------------------


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.MailingList"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Liste n°{n}")
    slug = factory.Sequence(lambda n: f"liste-{n}")
    local_part = factory.LazyAttribute(lambda mailing_list: mailing_list.slug)


class ListSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.Subscription"

    mailing_list = factory.SubFactory(MailingListFactory)
    member = factory.SubFactory(UserFactory)
    mode = "every"


class FollowedTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.FollowedTag"

    member = factory.SubFactory(UserFactory)
    tag = factory.SubFactory(TagFactory)


class ListThreadFactory(factory.django.DjangoModelFactory):
    """A thread; its messages come from ListMessageFactory (which counts them)."""

    class Meta:
        model = "mailing.Thread"

    mailing_list = factory.SubFactory(MailingListFactory)
    subject = factory.Sequence(lambda n: f"Sujet n°{n}")


class ListMessageFactory(factory.django.DjangoModelFactory):
    """A published message, counted in its thread."""

    class Meta:
        model = "mailing.Message"
        skip_postgeneration_save = True

    thread = factory.SubFactory(ListThreadFactory)
    mailing_list = factory.LazyAttribute(lambda message: message.thread.mailing_list)
    author = factory.SubFactory(UserFactory)
    author_name = factory.LazyAttribute(lambda message: message.author.display_name)
    subject = factory.LazyAttribute(lambda message: message.thread.subject)
    body = "Bonjour à toutes et à tous."
    message_id = factory.Sequence(lambda n: f"<message-{n}@lists.example.org>")
    source = "web"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and self.status == "published":  # type: ignore[attr-defined]
            from django.db.models import F

            from maillage.mailing.models import Thread

            Thread.objects.filter(pk=self.thread_id).update(  # type: ignore[attr-defined]
                message_count=F("message_count") + 1,
                last_message_at=self.published_at,  # type: ignore[attr-defined]
            )


class ListAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.Attachment"

    message = factory.SubFactory(ListMessageFactory)
    file = factory.django.FileField(filename="programme.txt", data=b"Programme de l'atelier")
    filename = "programme.txt"
    content_type = "text/plain"
    size = 22


class ListDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.Delivery"

    message = factory.SubFactory(ListMessageFactory)
    member = factory.SubFactory(UserFactory)
    address = factory.LazyAttribute(lambda delivery: delivery.member.email)


class DigestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.Digest"

    member = factory.SubFactory(UserFactory)
    period = "weekly"
    period_start = factory.LazyFunction(lambda: timezone.localdate())
    address = factory.LazyAttribute(lambda digest: digest.member.email)


class InboundMailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.InboundMail"

    recipient = "reseau@lists.example.org"
    envelope_from = "camille@example.org"
    raw = factory.django.FileField(
        filename="message.eml",
        data=b"From: camille@example.org\r\nSubject: Bonjour\r\n\r\nBonjour.\r\n",
    )
    size = 60
    sender = "camille@example.org"
    subject = "Bonjour"


class BounceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailing.Bounce"

    member = factory.SubFactory(UserFactory)
    address = factory.LazyAttribute(lambda bounce: bounce.member.email)
    kind = "hard"
    status = "5.1.1"


class ObjectionFactory(factory.django.DjangoModelFactory):
    """A published objection, in a colleague's words."""

    class Meta:
        model = "onboarding.Objection"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Je n’ai pas le temps n°{n}")
    explanation = "Les journées sont **pleines**."
    state = "published"
    published_at = factory.LazyFunction(timezone.now)
    position = factory.Sequence(lambda n: n)
    proposed_by = factory.SubFactory(UserFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    """A published public answer by a member."""

    class Meta:
        model = "onboarding.Answer"

    objection = factory.SubFactory(ObjectionFactory)
    kind = "answer"
    body = "Commencez par **dix minutes** par semaine."
    author = factory.SubFactory(UserFactory)
    visibility = "public"
    state = "published"
    published_at = factory.LazyFunction(timezone.now)


class HelpfulVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "onboarding.HelpfulVote"

    answer = factory.SubFactory(AnswerFactory)
    member = factory.SubFactory(UserFactory)


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "onboarding.Tool"

    name = factory.Sequence(lambda n: f"Outil n°{n}")
    description = "Garder ses liens en ligne."


class FirstStepFactory(factory.django.DjangoModelFactory):
    """A ten-minute step leading to an address."""

    class Meta:
        model = "onboarding.FirstStep"

    title = factory.Sequence(lambda n: f"Premier pas n°{n}")
    kind = "link"
    summary = "Dix minutes pour essayer."
    url = "/vitrine/"
    position = factory.Sequence(lambda n: n)


class StepFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "onboarding.StepFeed"

    step = factory.SubFactory(FirstStepFactory, kind="follow_feeds", url="")
    title = factory.Sequence(lambda n: f"Blog n°{n}")
    url = factory.Sequence(lambda n: f"https://blog{n}.example.org/feed/")


class PracticeFactory(factory.django.DjangoModelFactory):
    """An offered practice; steps=[…] links first steps in that order."""

    class Meta:
        model = "onboarding.Practice"
        skip_postgeneration_save = True

    label = factory.Sequence(lambda n: f"Je fais la chose n°{n}")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def steps(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            for position, step in enumerate(extracted):
                PracticeStepFactory(practice=self, step=step, position=position)


class PracticeStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "onboarding.PracticeStep"

    practice = factory.SubFactory(PracticeFactory)
    step = factory.SubFactory(FirstStepFactory)
    position = factory.Sequence(lambda n: n)


class PathFactory(factory.django.DjangoModelFactory):
    """A path taken without an account."""

    class Meta:
        model = "onboarding.Path"

    owner = None


class PathStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "onboarding.PathStep"

    path = factory.SubFactory(PathFactory)
    step = factory.SubFactory(FirstStepFactory)
    position = factory.Sequence(lambda n: n)


# --- Inbox: questions from the public (maillage.inbox) -------------------------------------------


class InboxSettingsFactory(factory.django.DjangoModelFactory):
    """A first answer within 24 working hours, a reminder 4 hours before."""

    class Meta:
        model = "inbox.InboxSettings"
        django_get_or_create = ("space",)

    space = factory.SubFactory(SpaceFactory)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inbox.Holiday"

    settings = factory.SubFactory(InboxSettingsFactory)
    day = factory.Sequence(lambda n: timezone.localdate() + timedelta(days=30 + n))
    name = "Jour férié"


class AbsenceFactory(factory.django.DjangoModelFactory):
    """Out of the office today and tomorrow."""

    class Meta:
        model = "inbox.Absence"

    voice = factory.SubFactory(VoiceFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))


class QuestionFactory(factory.django.DjangoModelFactory):
    """A confirmed question from the form, new (not routed), due in a day."""

    class Meta:
        model = "inbox.Question"

    space = factory.SubFactory(SpaceFactory)
    channel = "form"
    asker_name = "Léa Visiteuse"
    asker_email = factory.Sequence(lambda n: f"visiteuse{n}@example.org")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    subject = factory.Sequence(lambda n: f"Question n°{n}")
    body = "Pouvez-vous identifier cet insecte trouvé dans mon jardin ?"
    state = "new"
    received_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inbox.Assignment"

    question = factory.SubFactory(QuestionFactory)
    voice = factory.LazyAttribute(lambda step: VoiceFactory(space=step.question.space))
    kind = "routing"


class InboxAnswerFactory(factory.django.DjangoModelFactory):
    """An answer sent privately by email (named apart from onboarding's AnswerFactory)."""

    class Meta:
        model = "inbox.Answer"

    question = factory.SubFactory(QuestionFactory)
    voice = factory.LazyAttribute(lambda answer: VoiceFactory(space=answer.question.space))
    author = factory.LazyAttribute(lambda answer: answer.voice.user)
    kind = "email"
    body = "C’est un carabe doré : il mange les limaces, gardez-le."
    state = "sent"
    sent_at = factory.LazyFunction(timezone.now)


class ChannelReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inbox.ChannelReading"

    channel = factory.SubFactory(ChannelFactory, kind="mastodon")


class SearchDocumentFactory(factory.django.DjangoModelFactory):
    """A document of the search index as an app would have it indexed (a public article by
    default), written through core.search so that its full-text side exists too."""

    class Meta:
        model = "core.SearchDocument"

    model = "articles.article"
    object_id = factory.Sequence(lambda n: n + 1)
    variant = ""
    kind = "article"
    audience = "public"
    owner_id = None
    date = factory.LazyFunction(timezone.now)
    title = factory.Sequence(lambda n: f"Document n°{n}")
    body = "Un texte à trouver dans l’index."
    tags: list[str] = []
    url = factory.Sequence(lambda n: f"/articles/document-{n}/")

    @classmethod
    def _create(cls, model_class: type, *args: object, **values: object) -> object:
        from types import SimpleNamespace

        from maillage.core.search import Document
        from maillage.core.search.backends import backend
        from maillage.core.search.indexing import day_number, prepare

        values.pop("day", None)
        label, kind, object_id = values.pop("model"), values.pop("kind"), values.pop("object_id")
        indexed_as = SimpleNamespace(label=label, kind=kind)
        document = Document(**values)  # type: ignore[arg-type]
        backend().insert([prepare(indexed_as, object_id, document)])  # type: ignore[arg-type]
        found = model_class._default_manager.get(  # type: ignore[attr-defined]
            model=label, object_id=object_id, variant=document.variant
        )
        assert found.day == day_number(document.date)
        return found
