"""The shipped catalog gave Đăng ký thường trú the code 1.004194, which the national record gives
to Đăng ký tạm trú. Give the thường trú row back a provisional code so that `load_catalog` can
match every procedure by key (tạm trú then takes 1.004194 from the file)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    if Procedure.objects.filter(code="TAM.thuong-tru").exists():
        return
    Procedure.objects.filter(code="1.004194", key="thuong-tru").update(code="TAM.thuong-tru")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_fees_schedule")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
