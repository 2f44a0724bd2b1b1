# Event reports are articles now (0003 moved them): their tables go.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_reports_become_articles"),
    ]

    operations = [
        migrations.DeleteModel(name="ReportAttachment"),
        migrations.DeleteModel(name="ReportLink"),
        migrations.DeleteModel(name="EventReport"),
    ]
