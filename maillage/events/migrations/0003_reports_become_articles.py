"""Each event report becomes an article attached to its event (DESIGN §6: a report is an article
attached to an event): its text (the outcomes as its last section), its links to go further, its
attachments (the same stored files), its comments and their followers; who came moves to the
event. Backwards, each closed event's first report article becomes an event report again.

Its own transaction, apart from the schema changes before and after it (PostgreSQL refuses to
alter a table with pending trigger events in the same transaction)."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext

from maillage.articles.models import RESERVED_ARTICLE_SLUGS
from maillage.core.tags import free_slug


def _content_type(apps, db, app_label, model, *, create):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    if create:
        return content_types.get_or_create(app_label=app_label, model=model)[0]
    return content_types.filter(app_label=app_label, model=model).first()


def _move_comments(apps, db, source, source_id, target, target_id):
    """Comments (and the people following them) go with the report to its new form."""
    if source is None:
        return
    for name in ("Comment", "CommentSubscription"):
        model = apps.get_model("comments", name)
        model.objects.using(db).filter(content_type=source, object_id=source_id).update(
            content_type=target, object_id=target_id
        )


def _report_body(report):
    body = report.body.strip()
    if report.outcomes.strip():
        body += f"\n\n## {gettext('Outcomes and ideas')}\n\n{report.outcomes.strip()}"
    return body


def reports_to_articles(apps, schema_editor):
    db = schema_editor.connection.alias
    EventReport = apps.get_model("events", "EventReport")
    Article = apps.get_model("articles", "Article")
    FurtherLink = apps.get_model("articles", "FurtherLink")
    ArticleAttachment = apps.get_model("articles", "ArticleAttachment")
    reports = EventReport.objects.using(db).select_related("event", "author").order_by("pk")
    if not reports.exists():
        return
    report_type = _content_type(apps, db, "events", "eventreport", create=False)
    article_type = _content_type(apps, db, "articles", "article", create=True)
    with translation.override(settings.LANGUAGE_CODE):
        for report in reports:
            event = report.event
            event.attendees_count = report.attendees_count
            event.professions_present = report.professions or {}
            event.institutions_present = report.institutions or {}
            event.closed_at = event.closed_at or report.published_at
            event.save(
                update_fields=[
                    "attendees_count",
                    "professions_present",
                    "institutions_present",
                    "closed_at",
                ]
            )
            author = report.author or event.created_by
            title = (gettext("Report: %(event)s") % {"event": event.title})[:200]
            article = Article(
                title=title,
                body=_report_body(report),
                licence=event.licence,
                visibility="public" if event.visibility == "public" else "members",
                event=event,
                status="published",
                published_at=report.published_at,
                published_by=report.author,
                created_by=author,
                created_at=report.published_at,
            )
            article.slug = free_slug(
                article,
                title,
                fallback="compte-rendu",
                max_length=200,
                reserved=RESERVED_ARTICLE_SLUGS,
            )
            article.save(using=db)
            if author is not None:
                article.authors.set([author])
            article.tags.set(event.tags.all())
            FurtherLink.objects.using(db).bulk_create(
                FurtherLink(
                    article=article,
                    title=link.title,
                    url=link.url,
                    position=link.position,
                    added_at=report.published_at,
                )
                for link in report.links.order_by("position", "pk")
            )
            ArticleAttachment.objects.using(db).bulk_create(
                ArticleAttachment(
                    article=article,
                    title=attachment.title,
                    file=attachment.file.name,
                    uploaded_at=attachment.uploaded_at,
                )
                for attachment in report.attachments.order_by("pk")
            )
            _move_comments(apps, db, report_type, report.pk, article_type, article.pk)


def articles_to_reports(apps, schema_editor):
    db = schema_editor.connection.alias
    Event = apps.get_model("events", "Event")
    EventReport = apps.get_model("events", "EventReport")
    ReportLink = apps.get_model("events", "ReportLink")
    ReportAttachment = apps.get_model("events", "ReportAttachment")
    Article = apps.get_model("articles", "Article")
    closed = Event.objects.using(db).filter(attendees_count__isnull=False).order_by("pk")
    if not closed.exists():
        return
    report_type = _content_type(apps, db, "events", "eventreport", create=True)
    article_type = _content_type(apps, db, "articles", "article", create=False)
    for event in closed:
        article = (
            Article.objects.using(db).filter(event=event).order_by("published_at", "pk").first()
        )
        if article is None:
            continue
        report = EventReport.objects.using(db).create(
            event=event,
            body=article.body,
            attendees_count=event.attendees_count,
            professions=event.professions_present,
            institutions=event.institutions_present,
            author=article.authors.order_by("pk").first() or article.created_by,
            published_at=article.published_at or event.closed_at or timezone.now(),
        )
        ReportLink.objects.using(db).bulk_create(
            ReportLink(report=report, title=link.title, url=link.url, position=link.position)
            for link in article.further_links.order_by("position", "pk")
        )
        ReportAttachment.objects.using(db).bulk_create(
            ReportAttachment(
                report=report,
                title=attachment.title,
                file=attachment.file.name,
                uploaded_at=attachment.uploaded_at,
            )
            for attachment in article.attachments.order_by("pk")
        )
        _move_comments(apps, db, article_type, article.pk, report_type, report.pk)
        article.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_event_attendance"),
        ("articles", "0003_article_attachments"),
        ("comments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(reports_to_articles, articles_to_reports, elidable=True),
    ]
