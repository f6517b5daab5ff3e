"""`check --deploy` warns while the public authority's notices lack their settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def accessibility_statement_is_linked(app_configs, **kwargs) -> list[Warning]:
    """Danish public web solutions, extranets included, link an accessibility
    statement made in the state's WAS tool from every page (webtilgængelighedsloven)."""
    if settings.ACCESSIBILITY_STATEMENT_URL:
        return []
    return [
        Warning(
            "ACCESSIBILITY_STATEMENT_URL is not set: every page's footer links to a page "
            "saying the accessibility statement is not yet published.",
            hint="Make the statement in the Agency for Digital Government's WAS tool "
            "(was.digst.dk) and set ACCESSIBILITY_STATEMENT_URL to its address; renew it yearly.",
            id="notices.W001",
        )
    ]


@register(Tags.compatibility, deploy=True)
def data_controller_is_named(app_configs, **kwargs) -> list[Warning]:
    """The privacy notice names the data controller (GDPR art. 13 and 14)."""
    if settings.DATA_CONTROLLER:
        return []
    return [
        Warning(
            "DATA_CONTROLLER is not set: the privacy notice (/privatliv/) names no data "
            "controller.",
            hint="Set DATA_CONTROLLER to the data controller's name and address, and "
            "DATA_PROTECTION_CONTACT to where a person asks for access.",
            id="notices.W002",
        )
    ]
