from django.core.checks import Tags, Warning, register

from seals import certificate as certificates


@register(Tags.security, deploy=True)
def seal_certificate_is_real(app_configs, **kwargs) -> list[Warning]:
    """`check --deploy` warns while the demo certificate (or none) seals the PDFs."""
    try:
        seal = certificates.load()
    except certificates.SealNotConfigured as error:
        return [
            Warning(
                f"Signed PDFs cannot be sealed: {error}",
                hint="Set SEAL_PKCS12_PATH and SEAL_PKCS12_PASSWORD to the secretariat's "
                "organisation certificate (README, 'Signatures and the seal').",
                id="seals.W002",
            )
        ]
    if seal.is_demo:
        return [
            Warning(
                "The signed PDFs are sealed with the demo certificate, which no one trusts.",
                hint="Set SEAL_PKCS12_PATH and SEAL_PKCS12_PASSWORD to the secretariat's "
                "organisation certificate (README, 'Signatures and the seal').",
                id="seals.W001",
            )
        ]
    return []
