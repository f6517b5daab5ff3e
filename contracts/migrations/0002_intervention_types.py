from django.db import migrations


def create_intervention_types(apps, schema_editor):
    from contracts.reference import ensure_intervention_types

    ensure_intervention_types(apps.get_model("contracts", "InterventionType"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(create_intervention_types, migrations.RunPython.noop)]
