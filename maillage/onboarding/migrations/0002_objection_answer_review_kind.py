"""Answers to objections were recorded with the review kind "answer", the inbox's kind for
answers to public questions: they take their own kind, so that each has its own default."""

from django.db import migrations

OLD_KIND = "answer"
NEW_KIND = "objection_answer"


def _records_of_answers(apps, db, kind):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReviewRecord = apps.get_model("core", "ReviewRecord")
    content_type = (
        ContentType.objects.using(db).filter(app_label="onboarding", model="answer").first()
    )
    if content_type is None:
        # A new database: no answer was ever recorded.
        return ReviewRecord.objects.using(db).none()
    return ReviewRecord.objects.using(db).filter(content_type=content_type, kind=kind)


def forwards(apps, schema_editor):
    _records_of_answers(apps, schema_editor.connection.alias, OLD_KIND).update(kind=NEW_KIND)


def backwards(apps, schema_editor):
    _records_of_answers(apps, schema_editor.connection.alias, NEW_KIND).update(kind=OLD_KIND)


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0001_initial"),
        ("core", "0002_review_policy"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
