import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def mark_rows_digested_with_secret_key(apps, schema_editor):
    """Rows logged before the digest had its own key were keyed with
    SECRET_KEY: they keep that key's id, and stay findable while SECRET_KEY is
    listed in CPR_DIGEST_OLD_KEYS (README, "Personal data")."""
    key_id = hmac.new(
        settings.SECRET_KEY.encode(), b"cpr-digest-key-id", hashlib.sha256
    ).hexdigest()[:12]
    apps.get_model("contracts", "CprAccessLog").objects.update(digest_key_id=key_id)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_drop_unused_signature_permission"),
    ]

    operations = [
        migrations.RenameField("cpraccesslog", "citizen_digest", "person_digest"),
        migrations.RenameField("cpraccesslog", "citizen_cpr_masked", "person_cpr_masked"),
        migrations.AlterField(
            model_name="cpraccesslog",
            name="person_digest",
            field=models.CharField(db_index=True, max_length=64, verbose_name="person (digest)"),
        ),
        migrations.AlterField(
            model_name="cpraccesslog",
            name="person_cpr_masked",
            field=models.CharField(max_length=11, verbose_name="CPR number"),
        ),
        migrations.AddField(
            model_name="cpraccesslog",
            name="person",
            field=models.CharField(
                choices=[
                    ("child", "The child or young person"),
                    ("mother", "Mother"),
                    ("father", "Father"),
                    ("guardian", "Guardian"),
                    ("searched", "The number searched for"),
                ],
                default="child",
                max_length=10,
                verbose_name="whose number",
            ),
        ),
        migrations.AddField(
            model_name="cpraccesslog",
            name="digest_key_id",
            field=models.CharField(default="", max_length=12, verbose_name="digest key"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="cpraccesslog",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when"),
        ),
        migrations.RunPython(mark_rows_digested_with_secret_key, migrations.RunPython.noop),
    ]
