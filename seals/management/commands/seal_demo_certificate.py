from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from seals import certificate as certificates


class Command(BaseCommand):
    help = "Create the demo CA and seal certificate at SEAL_PKCS12_PATH, unless a file is there."

    def handle(self, *args, **options) -> None:
        path = Path(settings.SEAL_PKCS12_PATH)
        if path.exists():
            self.stdout.write(f"A seal certificate is already at {path}.")
            return
        certificates.create_demo(path, settings.SEAL_PKCS12_PASSWORD)
        self.stdout.write(
            f"Created the DEMO seal certificate at {path}; never use it in production."
        )
