from django.db import migrations


def seed(apps, schema_editor):
    from motcua.ratings.reasons import reasons_ensure

    reasons_ensure(apps.get_model("ratings", "RatingReason"))


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
