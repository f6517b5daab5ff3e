"""Every app's admin offers only the rows the user may see; for user accounts,
the accounts the secretariat administers (accounts.users)."""

from django.contrib import admin

from agreements.models import Municipality
from tests.conftest import make_user


def test_the_admin_offers_as_staff_only_the_users_the_secretariat_administers(
    rf, secretariat_user, midtjylland, copenhagen_agreement, aarhus, copenhagen
):
    own = make_user("aarhus-medarbejder")
    aarhus.staff.add(own)
    other = make_user("kbh-medarbejder")
    copenhagen.staff.add(other)
    request = rf.get("/")
    request.user = secretariat_user

    field = admin.site.get_model_admin(Municipality).formfield_for_manytomany(
        Municipality._meta.get_field("staff"), request
    )

    assert own in field.queryset
    assert other not in field.queryset
