"""An install from before secretariats had one secretariat group that saw
every agreement: its agreements and its members go into one secretariat, so
nobody loses access on upgrade. The secretariat can be split afterwards."""

from django.db import migrations


def keep_the_one_secretariat(apps, schema_editor):
    FrameworkAgreement = apps.get_model("agreements", "FrameworkAgreement")
    Secretariat = apps.get_model("agreements", "Secretariat")
    Group = apps.get_model("auth", "Group")
    orphans = FrameworkAgreement.objects.filter(secretariat=None)
    if not orphans.exists():
        return
    secretariat, _ = Secretariat.objects.get_or_create(name="Sekretariatet")
    orphans.update(secretariat=secretariat)
    group = Group.objects.filter(name="Sekretariat").first()
    if group is not None:
        secretariat.members.add(*group.user_set.all())


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_secretariat_per_framework_agreement"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(keep_the_one_secretariat, migrations.RunPython.noop)]
