from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("veille_imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="first_bookmark_id",
            field=models.PositiveBigIntegerField(default=0),
        ),
    ]
