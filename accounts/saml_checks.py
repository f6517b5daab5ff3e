"""A system check of the privilege table: a misspelt role would silently give
nobody anything."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def privilege_roles_are_known(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from accounts.saml import BODY_MEMBER, MUNICIPALITY_STAFF, PROVIDER_LEADER
    from agreements.models import GoverningBody

    known = {MUNICIPALITY_STAFF, PROVIDER_LEADER} | {
        f"{BODY_MEMBER}:{kind}" for kind in GoverningBody.Kind.values
    }
    return [
        checks.Error(
            f"SAML_PRIVILEGE_ROLES gives {privilege} the unknown role {role!r}.",
            hint="Known roles: " + ", ".join(sorted(known)) + ".",
            id="accounts.E001",
        )
        for privilege, role in getattr(settings, "SAML_PRIVILEGE_ROLES", {}).items()
        if role not in known
    ]
