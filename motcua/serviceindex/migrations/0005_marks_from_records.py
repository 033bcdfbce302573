"""Fill the new per-dossier marks and their weights (and recount the cells from them) in a database that
already holds dossiers. Without this, the first event of a dossier counted before 0003 would count it a
second time, and average handling time would be empty until the next rebuild. A fresh database has no
dossiers and skips it. Keep this the last migration of the app that the rebuild's models need. Calls the app's rebuild (the same code as the
`rebuild_index_rollups` command); if the models change later, this step may be squashed away."""

from django.db import migrations


def marks_from_records(apps, schema_editor):
    if not apps.get_model("dossiers", "Dossier").objects.exists():
        return
    from motcua.serviceindex.services import rollups_rebuild

    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("serviceindex", "0004_weights_avg_time"),
    ]

    operations = [migrations.RunPython(marks_from_records, migrations.RunPython.noop)]
