# What closing an event records beside its report: who came (the report becomes an article).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closed"),
        ),
        migrations.AddField(
            model_name="event",
            name="attendees_count",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="attendees"),
        ),
        migrations.AddField(
            model_name="event",
            name="professions_present",
            field=models.JSONField(blank=True, default=dict, verbose_name="professions present"),
        ),
        migrations.AddField(
            model_name="event",
            name="institutions_present",
            field=models.JSONField(blank=True, default=dict, verbose_name="institutions present"),
        ),
    ]
