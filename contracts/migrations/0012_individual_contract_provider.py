import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_provider(apps, schema_editor):
    """Each individual contract (and each of its history rows) gets its
    standard contract's provider."""
    StandardContract = apps.get_model("contracts", "StandardContract")
    provider = Subquery(
        StandardContract.objects.filter(pk=OuterRef("standard_contract")).values("provider")[:1]
    )
    for name in ("IndividualContract", "HistoricalIndividualContract"):
        apps.get_model("contracts", name).objects.update(provider=provider)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0011_drop_status_indexes_covered_by_composites"),
        ("providers", "0004_merge_large_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindividualcontract",
            name="provider",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="providers.provider",
                verbose_name="provider",
            ),
        ),
        migrations.AddField(
            model_name="individualcontract",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="individual_contracts",
                to="providers.provider",
                verbose_name="provider",
            ),
        ),
        migrations.RunPython(copy_provider, migrations.RunPython.noop),
    ]
