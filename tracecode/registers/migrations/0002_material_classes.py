"""The ten material classes of seed 001 (物料代码规则); an administrator adds more."""

from django.db import migrations

from tracecode.registers.classes import seed


def add_classes(apps, schema_editor):
    seed(apps.get_model("registers", "MaterialClass"))


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]

    operations = [migrations.RunPython(add_classes, migrations.RunPython.noop)]
