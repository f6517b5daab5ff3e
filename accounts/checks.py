from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_is_on(app_configs, **kwargs) -> list[Warning]:
    """`check --deploy` warns when the second factor is off (accounts.otp)."""
    if settings.OTP_REQUIRED:
        return []
    return [
        Warning(
            "OTP_REQUIRED is off: staff and secretariat users log in with a password alone.",
            hint="Unset the OTP_REQUIRED environment variable (it is on by default); "
            "only the local demo (make run) turns it off.",
            id="accounts.W001",
        )
    ]
