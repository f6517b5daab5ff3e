"""Write a document through one server and read it through the other.

    python scripts/two_servers_check.py http://127.0.0.1:8201 http://127.0.0.1:8202

Makes (directly in the database of DATABASE_URL) a secretariat login with a
second factor and a meeting with an agenda item, logs in on the first server
(password and code), uploads a PDF to the item there, and downloads it from
the second server with the same session: the database, the sessions and the
stored files are shared. Exits non-zero when anything differs.
"""

import http.cookiejar
import os
import secrets
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rammeaftale.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from agreements.models import GoverningBody, Meeting  # noqa: E402
from contracts.pdf import render_html_to_pdf  # noqa: E402
from meetings.models import AgendaItem, Document  # noqa: E402


def _fixture_data() -> GoverningBody:
    if not GoverningBody.objects.exists():
        call_command("loaddata", "regions", "collaboration_models", "framework_agreements")
    return GoverningBody.objects.order_by("pk").first()


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _csrf(jar) -> str:
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def _post(opener, url: str, fields: dict, jar, referer: str) -> str:
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": _csrf(jar)}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": referer})
    with opener.open(request) as response:
        return response.geturl()


def _upload(opener, url: str, jar, name: str, content: bytes) -> None:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{_csrf(jar)}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nTo servere\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(
        url,
        data=b"".join(parts),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": url,
        },
    )
    opener.open(request).close()


def main(first: str, second: str) -> None:
    body = _fixture_data()
    username = f"to-servere-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    user = User.objects.create_superuser(username, f"{username}@example.dk", password)
    device = TOTPDevice.objects.create(user=user, name="to servere", confirmed=True)
    # A day no meeting of the body has yet (one meeting per body and day).
    taken = set(Meeting.objects.filter(body=body).values_list("date", flat=True))
    day = datetime.date.today() + datetime.timedelta(days=30)
    while day in taken:
        day += datetime.timedelta(days=1)
    meeting = Meeting.objects.create(body=body, date=day)
    item = AgendaItem.objects.create(
        meeting=meeting, title="To servere", position=1, kind=AgendaItem.Kind.ORIENTATION
    )

    opener, jar = _opener()
    opener.open(f"{first}/login/").close()
    landed = _post(
        opener,
        f"{first}/login/",
        {"username": username, "password": password},
        jar,
        f"{first}/login/",
    )
    if "/login/kode/" in landed:
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        _post(
            opener,
            f"{first}/login/kode/",
            {"token": f"{token:0{device.digits}d}"},
            jar,
            f"{first}/login/kode/",
        )
    content = render_html_to_pdf(
        '<html lang="da"><p>Skrevet gennem den ene server, læst gennem den anden.</p></html>'
    )
    _upload(opener, f"{first}/moeder/punkter/{item.pk}/dokument/", jar, "to-servere.pdf", content)
    document = Document.objects.filter(agenda_item=item).first()
    if document is None:
        sys.exit("the first server did not store the document")
    with opener.open(f"{second}/moeder/dokumenter/{document.pk}/") as response:
        read = response.read()
    if read != content:
        sys.exit("the second server answered other bytes than the first server stored")
    print(
        f"document {document.pk} ({len(content)} bytes) written through {first}, read through {second}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
