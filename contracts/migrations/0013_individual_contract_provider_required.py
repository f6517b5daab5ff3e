import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0012: PostgreSQL alters no table in the transaction that
    filled it (its foreign keys are checked at the end)."""

    dependencies = [
        ("contracts", "0012_individual_contract_provider"),
    ]

    operations = [
        migrations.AlterField(
            model_name="individualcontract",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="individual_contracts",
                to="providers.provider",
                verbose_name="provider",
            ),
        ),
        migrations.RemoveIndex(
            model_name="individualcontract",
            name="individual_contract_acting",
        ),
        migrations.AddIndex(
            model_name="individualcontract",
            index=models.Index(
                fields=["acting_municipality", "-starts_on", "citizen_name", "paying_municipality"],
                name="individual_contract_acting",
            ),
        ),
        migrations.AddIndex(
            model_name="individualcontract",
            index=models.Index(
                fields=["provider", "-starts_on", "citizen_name"],
                name="individual_contract_provider",
            ),
        ),
        migrations.AddIndex(
            model_name="individualcontract",
            index=models.Index(
                fields=["provider", "status", "ends_on"], name="individual_contract_prov_ends"
            ),
        ),
        migrations.AddIndex(
            model_name="individualcontract",
            index=models.Index(
                condition=~models.Q(paying_municipality=models.F("acting_municipality")),
                fields=["paying_municipality", "-starts_on", "citizen_name", "acting_municipality"],
                name="individual_contract_paid_for",
            ),
        ),
    ]
