"""Upgrading keeps the secretariat's access: the agreements of an install from
before secretariats, and the members of its secretariat group, go into one
secretariat."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The other line of agreements' migrations (council approvals, seats …) stays
# applied on both sides: only the secretariat's data migration is undone.
OTHER_LINE = ("agreements", "0007_chair_is_a_seat_role")
BEFORE = [("agreements", "0002_secretariat_per_framework_agreement"), OTHER_LINE]
AFTER = [("agreements", "0003_existing_agreements_keep_their_secretariat"), OTHER_LINE]


@pytest.mark.django_db(transaction=True)
def test_existing_agreements_and_secretariat_members_keep_one_secretariat(reference_data):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    FrameworkAgreement = apps.get_model("agreements", "FrameworkAgreement")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    FrameworkAgreement.objects.update(secretariat=None)
    FrameworkAgreement.objects.create(
        name="Rammeaftale uden sekretariat",
        kind="regional",
        period_start=datetime.date(2025, 1, 1),
    )
    group, _ = Group.objects.get_or_create(name="Sekretariat")
    member = User.objects.create(username="gammel-sekretaer")
    member.groups.add(group)
    outsider = User.objects.create(username="udenfor")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Secretariat = apps.get_model("agreements", "Secretariat")
    FrameworkAgreement = apps.get_model("agreements", "FrameworkAgreement")
    secretariat = Secretariat.objects.get(name="Sekretariatet")
    assert not FrameworkAgreement.objects.filter(secretariat=None).exists()
    assert set(FrameworkAgreement.objects.values_list("secretariat", flat=True)) == {secretariat.pk}
    members = set(secretariat.members.values_list("username", flat=True))
    assert "gammel-sekretaer" in members
    assert outsider.username not in members

    # Back to the latest state: going back to 0002 also unapplied what depends on 0003.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
