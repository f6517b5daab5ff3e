import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_offer(apps, schema_editor):
    """Each individual contract (and each of its history rows) gets its
    standard contract's offer."""
    StandardContract = apps.get_model("contracts", "StandardContract")
    offer = Subquery(
        StandardContract.objects.filter(pk=OuterRef("standard_contract")).values("offer")[:1]
    )
    for name in ("IndividualContract", "HistoricalIndividualContract"):
        apps.get_model("contracts", name).objects.update(offer=offer)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0015_digital_signatures_and_document_for_signature"),
        ("providers", "0004_merge_large_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindividualcontract",
            name="offer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="providers.offer",
                verbose_name="offer",
            ),
        ),
        migrations.AddField(
            model_name="individualcontract",
            name="offer",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="individual_contracts",
                to="providers.offer",
                verbose_name="offer",
            ),
        ),
        migrations.RunPython(copy_offer, migrations.RunPython.noop),
    ]
