from django.db import migrations


def seed(apps, schema_editor):
    from motcua.queue.priorities import priority_groups_ensure

    priority_groups_ensure(apps.get_model("queue", "PriorityGroup"))


class Migration(migrations.Migration):
    dependencies = [("queue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
