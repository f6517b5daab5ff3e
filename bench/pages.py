"""Benchmark: each role's main pages over HTTP, at a region's size, on PostgreSQL.

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --requests 20 --users 20 --seconds 10
    .venv/bin/python bench/pages.py --shape mixed
    .venv/bin/python bench/pages.py --servers 2 --scale 0.02

For each shape of the data (`bench/region.py`: `region` and `mixed`; both
unless `--shape` names one):
1. Drops and creates the PostgreSQL database of the shape
   (`rammeaftale_bench_pages`, `rammeaftale_bench_pages_mixed`: its own; no
   other database is touched) on the server DATABASE_URL names, or on
   127.0.0.1:5432 as user postgres, migrates it and fills it with a region's
   register (100,004 individual contracts and the rest).
2. Counts each page's queries in-process (Django's test client), once, and
   runs each of them again under EXPLAIN ANALYZE: the largest is the one
   PostgreSQL took longest to plan and run.
3. Serves the project with gunicorn (`gunicorn.conf.py`: 3 workers, the
   application preloaded) on a free port of 127.0.0.1, logs in as each role
   over HTTP, and times each page, its workers warmed on it first: one user
   alone (`--requests` requests, at most `--single-seconds`), then `--users`
   concurrent users for `--seconds`.
4. Prints a table per page: queries, the largest query's planning + execution
   time, HTML size, p50/p95/p99 in ms, errors.

Every loop is bounded by a number of requests or a time, and a request by
`--timeout`; only 127.0.0.1 is contacted. It is a benchmark, not a test: it
prints numbers and fails only when it cannot run.
"""

import argparse
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from database import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "rammeaftale_bench_pages"
SHAPES = ("region", "mixed")
HOST = "127.0.0.1"
ANONYMOUS = "anonymous"  # pages without a login
# The open tariff list is the page the public and every municipality's case
# workers hit: it is timed with this many users at once.
OPEN_LIST_USERS = 50


@dataclass
class Page:
    label: str
    role: str
    path: str
    queries: int | None = None
    # The largest query's planning + execution time (EXPLAIN ANALYZE), in ms.
    largest_query: float | None = None
    size: int = 0
    single: list[float] = field(default_factory=list)
    single_errors: int = 0
    crowd: list[float] = field(default_factory=list)
    crowd_errors: int = 0
    crowd_seconds: float = 0.0
    # Concurrent users of this page (the run's --users unless the page says).
    users: int = 0
    # A file to POST as a form's field of this name (the seal check), else a GET.
    upload: str = ""
    # The same crowd against two servers through PgBouncer (--servers 2).
    crowd_two: list[float] = field(default_factory=list)
    crowd_two_errors: int = 0
    crowd_two_seconds: float = 0.0


# Building and counting (in a process of its own, on the benchmark's database) ---------------


def pages_of(region) -> list[dict]:
    from django.urls import reverse

    changelist = reverse("admin:contracts_individualcontract_changelist")
    contracts = reverse("contracts:contract_list")
    standard = reverse("contracts:standard_contract_list")
    capacity_list = reverse("capacity:list")
    return [
        {"label": "dashboard", "role": "secretariat", "path": reverse("portal:dashboard")},
        {"label": "/contracts/", "role": "secretariat", "path": contracts},
        {"label": "/contracts/standard/", "role": "secretariat", "path": standard},
        {
            "label": "capacity overview",
            "role": "secretariat",
            "path": reverse("portal:capacity_overview"),
        },
        {
            "label": "adjustment overview",
            "role": "secretariat",
            "path": reverse("capacity:overview"),
        },
        {
            "label": "admin individual contracts, search",
            "role": "secretariat",
            "path": f"{changelist}?{urlencode({'q': region.search})}",
        },
        {
            "label": "municipality home",
            "role": "municipality",
            "path": reverse("portal:municipality"),
        },
        {"label": "/contracts/", "role": "municipality", "path": contracts},
        {"label": "/contracts/standard/", "role": "municipality", "path": standard},
        {"label": "capacity list", "role": "municipality", "path": capacity_list},
        {"label": "leader home", "role": "leader", "path": reverse("portal:leader")},
        {
            "label": "leader provider page",
            "role": "leader",
            "path": reverse("portal:leader_provider", args=[region.leader_provider]),
        },
        {
            "label": "leader obligations",
            "role": "leader",
            "path": reverse("portal:leader_obligations", args=[region.leader_provider]),
        },
        {
            "label": "leader deadlines",
            "role": "leader",
            "path": reverse("portal:leader_deadlines"),
        },
        {
            "label": "leader calendar feed",
            "role": "leader",
            "path": reverse("portal:calendar_feed", args=[region.calendar_token]),
        },
        {"label": "/contracts/", "role": "leader", "path": contracts},
        {"label": "/contracts/standard/", "role": "leader", "path": standard},
        {"label": "capacity list", "role": "leader", "path": capacity_list},
        {
            "label": "signed PDF download",
            "role": "leader",
            "path": reverse("contracts:individual_contract_pdf", args=[region.signed_contract]),
        },
        {
            "label": "municipality home",
            "role": "body member",
            "path": reverse("portal:municipality"),
        },
        {"label": "capacity: mine", "role": "body member", "path": reverse("capacity:mine")},
        {"label": "capacity list", "role": "body member", "path": capacity_list},
        {"label": "meetings", "role": "secretariat", "path": reverse("meetings:calendar")},
        {
            "label": "meeting with agenda and papers",
            "role": "secretariat",
            "path": reverse("meetings:meeting", args=[region.meeting]),
        },
        {
            "label": "meeting with agenda and papers",
            "role": "body member",
            "path": reverse("meetings:meeting", args=[region.meeting]),
        },
        {"label": "decisions", "role": "secretariat", "path": reverse("meetings:decisions")},
        {"label": "tariff rounds", "role": "secretariat", "path": reverse("tariffs:rounds")},
        {
            "label": "tariff round",
            "role": "secretariat",
            "path": reverse("tariffs:round", args=[region.tariff_round]),
        },
        {
            "label": "calculation basis",
            "role": "leader",
            "path": reverse("tariffs:basis", args=[region.basis]),
        },
        {"label": "tariffs: mine", "role": "leader", "path": reverse("tariffs:mine")},
        {
            "label": "/takster/ (open tariff list)",
            "role": ANONYMOUS,
            "path": reverse("tariffs:list"),
            "users": OPEN_LIST_USERS,
        },
        {"label": "open meetings", "role": ANONYMOUS, "path": reverse("meetings:public")},
        {"label": "/verificer/", "role": ANONYMOUS, "path": reverse("portal:verify_seal")},
        {
            "label": "/verificer/ a sealed PDF",
            "role": ANONYMOUS,
            "path": reverse("portal:verify_seal"),
            "upload": "pdf",
        },
        {"label": "/sundhed/", "role": ANONYMOUS, "path": "/sundhed/"},
    ]


def largest_query(connection, queries: list[dict]) -> tuple[float, float, str] | None:
    """The query among `queries` that PostgreSQL takes longest to plan and
    run, run again under EXPLAIN ANALYZE: (planning ms, execution ms, SQL)."""
    largest = None
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip("( ").upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
            found = (plan["Planning Time"], plan["Execution Time"], sql)
            if largest is None or sum(found[:2]) > sum(largest[:2]):
                largest = found
    return largest


def build_and_count(out: Path, shape: str, scale: float) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import region as region_module
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "regions", "collaboration_models", "framework_agreements", verbosity=0)
    if scale != 1:
        region_module.scale(scale)
    region = region_module.build(shape)
    with connection.cursor() as cursor:
        # As autovacuum leaves a database that has settled: statistics, and
        # the visibility map that lets a count read an index alone.
        cursor.execute("VACUUM ANALYZE")
    built = time.perf_counter() - started
    print(
        f"Built the region ({shape}) in {built:.0f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in region.counts.items())
    )

    # The file the seal check is timed with: the signed contract's PDF.
    from contracts.models import IndividualContract

    with IndividualContract.objects.get(pk=region.signed_contract).pdf.open("rb") as pdf:
        sealed = pdf.read()
    (out.parent / "sealed.pdf").write_bytes(sealed)

    pages = pages_of(region)
    for page in pages:
        client = Client()
        user = User.objects.filter(username=region.users.get(page["role"], "")).first()
        if user is not None:
            client.force_login(user)
        if user is not None and user.username in region.totp_keys:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
            session.save()
        with CaptureQueriesContext(connection) as captured:
            if page.get("upload"):
                with SimpleUploadedFile("kontrakt.pdf", sealed, "application/pdf") as upload:
                    response = client.post(page["path"], {page["upload"]: upload})
            else:
                response = client.get(page["path"])
            if response.streaming:
                b"".join(response.streaming_content)
        page["queries"] = len(captured)
        page["status"] = response.status_code
        largest = largest_query(connection, captured.captured_queries)
        page["largest_query"] = sum(largest[:2]) if largest else None
        table = re.search(r'FROM "(\w+)"', largest[2]) if largest else None
        print(
            f"  {page['role']}: {page['label']}: {len(captured)} queries"
            + (
                f"; the largest {sum(largest[:2]):.1f} ms (planning {largest[0]:.1f}), "
                f"from {table.group(1) if table else '?'}"
                if largest
                else ""
            ),
            flush=True,
        )
    out.write_text(
        json.dumps(
            {
                "password": region.password,
                "users": region.users,
                "totp_keys": region.totp_keys,
                "pages": pages,
            }
        )
    )


# Over HTTP ----------------------------------------------------------------------------------


class Session:
    """A logged-in browser, as far as the benchmark needs one: cookies over
    one keep-alive connection to 127.0.0.1, reopened when the server closes it."""

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        # path -> (body, headers) of the form a page posts (upload_form).
        self.forms: dict[str, tuple[bytes, dict]] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _sep, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            if response.will_close:
                self.close()
            return response.status, content
        raise RuntimeError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def log_in(self, username: str, password: str, totp_key: str | None = None) -> None:
        status, content = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"the login page answered {status}")
        body = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": match.group(1).decode(),
            }
        ).encode()
        status, _content = self.request(
            "POST",
            "/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not log in (status {status})")
        if totp_key is None:
            return
        # The second factor: the code of the user's authenticator app.
        status, content = self.request("GET", "/login/kode/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"the code page answered {status}")
        body = urlencode(
            {"token": totp(totp_key), "csrfmiddlewaretoken": match.group(1).decode()}
        ).encode()
        status, _content = self.request(
            "POST", "/login/kode/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"{username}'s code was refused (status {status})")


def totp(key_hex: str, step: int = 30, digits: int = 6) -> str:
    """The current code of a TOTP app (RFC 6238, HMAC-SHA1)."""
    counter = int(time.time()) // step
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def upload_form(session: Session, page: Page, pdf: bytes) -> tuple[bytes, dict]:
    """The multipart body that posts `pdf` as the page form's `page.upload`
    field, with the CSRF token of the session's own GET of the form."""
    status, content = session.request("GET", page.path)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or not match:
        raise RuntimeError(f"{page.path} answered {status} without a form")
    boundary = "rammeaftale-bench"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{match.group(1).decode()}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{page.upload}"; filename="kontrakt.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def timed(session: Session, page: Page) -> tuple[float, int, int]:
    """Milliseconds, status and size of one request of the page (a GET, or
    the POST of its upload); status 0 when it failed."""
    started = time.perf_counter()
    try:
        if page.upload:
            body, headers = session.forms[page.path]
            status, content = session.request("POST", page.path, body, headers)
        else:
            status, content = session.request("GET", page.path)
    except (OSError, http.client.HTTPException):
        session.close()
        return (time.perf_counter() - started) * 1000, 0, 0
    return (time.perf_counter() - started) * 1000, status, len(content)


def warm(page: Page, sessions: list[Session], arguments) -> None:
    """Warm the fresh servers' workers on the page itself, several requests
    at once so that each worker takes some (uncounted): a worker's first
    request of a page compiles its templates and opens a database connection."""

    def twice(session: Session) -> None:
        for _ in range(2):
            timed(session, page)

    threads = [threading.Thread(target=twice, args=(s,), daemon=True) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(2 * arguments.timeout)


def alone(page: Page, session: Session, arguments) -> None:
    """One user alone: `--requests` requests, for at most `--single-seconds`."""
    deadline = time.monotonic() + arguments.single_seconds
    for _ in range(arguments.requests):
        milliseconds, status, size = timed(session, page)
        page.single.append(milliseconds)
        if status == 200:
            page.size = size
        else:
            page.single_errors += 1
        if time.monotonic() > deadline:
            break


def crowd(page: Page, sessions: list[Session], arguments) -> tuple[list[float], int, float]:
    """Every session a user requesting the page again and again, all at
    once, for `--seconds`: (milliseconds, errors, seconds taken)."""
    lock = threading.Lock()
    times: list[float] = []
    errors = 0
    deadline = time.monotonic() + arguments.seconds

    def user(session: Session) -> None:
        nonlocal errors
        for _ in range(10_000):
            if time.monotonic() > deadline:
                return
            milliseconds, status, _size = timed(session, page)
            with lock:
                times.append(milliseconds)
                errors += status != 200

    threads = [threading.Thread(target=user, args=(s,), daemon=True) for s in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(arguments.seconds + arguments.timeout + 5)
    return times, errors, time.monotonic() - started


def on_ports(sessions: list[Session], ports: list[int], page: Page, pdf: bytes) -> None:
    """Point the sessions at the servers in turn (as a proxy spreads its
    users) over fresh connections, each with the page's form if it posts one."""
    for n, session in enumerate(sessions):
        session.close()
        session.port = ports[n % len(ports)]
        if page.upload:
            session.forms[page.path] = upload_form(session, page, pdf)


def percentiles(values: list[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:,.0f}"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"{statistics.median(values):,.0f} / {cuts[94]:,.0f} / {cuts[98]:,.0f}"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} B"


def print_table(pages: list[Page], servers: int) -> None:
    header = [
        "page",
        "role",
        "queries",
        "largest query ms",
        "HTML",
        "1 user p50/p95/p99 ms",
        "err",
        "users",
        "1 server p50/p95/p99 ms",
        "req/s",
        "err",
    ]
    if servers == 2:
        header += ["2 servers + PgBouncer p50/p95/p99 ms", "req/s", "err"]

    def rate(times: list[float], seconds: float) -> str:
        return f"{len(times) / seconds:.1f}" if seconds else "–"

    rows = []
    for page in pages:
        row = [
            page.label,
            page.role,
            "–" if page.queries is None else str(page.queries),
            "–" if page.largest_query is None else f"{page.largest_query:.1f}",
            size_text(page.size),
            percentiles(page.single),
            f"{page.single_errors}/{len(page.single)}",
            str(page.users),
            percentiles(page.crowd),
            rate(page.crowd, page.crowd_seconds),
            f"{page.crowd_errors}/{len(page.crowd)}",
        ]
        if servers == 2:
            row += [
                percentiles(page.crowd_two),
                rate(page.crowd_two, page.crowd_two_seconds),
                f"{page.crowd_two_errors}/{len(page.crowd_two)}",
            ]
        rows.append(row)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# The run -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it served")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} within {seconds:.0f} s")


def start_gunicorn(environment: dict, log: Path, arguments) -> tuple[subprocess.Popen, int]:
    """gunicorn with the project's configuration on a free port of 127.0.0.1."""
    port = free_port()
    with log.open("ab") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rammeaftale.wsgi",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(arguments.workers),
            ],
            env=environment,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return server, port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serving(environment: dict, log: Path, arguments, servers: int = 1):
    """`servers` gunicorn servers side by side; yields their ports, and stops
    them (by their process ids) afterwards."""
    started = []
    try:
        for _ in range(servers):
            started.append(start_gunicorn(environment, log, arguments))
        for server, port in started:
            wait_until_serving(port, server)
        yield [port for _server, port in started]
    finally:
        for server, _port in started:
            stop(server)


@contextlib.contextmanager
def pgbouncer(url: str, log: Path):
    """PgBouncer in transaction mode in front of the database `url` names, as
    README's deployment of two app servers has it; yields the URL through it."""
    binary = os.environ.get("PGBOUNCER", "/usr/sbin/pgbouncer")
    if not os.access(binary, os.X_OK):
        raise RuntimeError("PgBouncer is missing: 'make check-pgbouncer' installs Debian's.")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    port = free_port()
    # Its own folder, readable by the postgres user PgBouncer runs as under root.
    folder = Path(tempfile.mkdtemp(prefix="bench-pgbouncer-"))
    folder.chmod(0o755)
    (folder / "userlist.txt").write_text(f'"{parts.username or "postgres"}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n{name} = host={parts.hostname} port={parts.port or 5432} dbname={name}\n"
        f"[pgbouncer]\nlisten_addr = {HOST}\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\npool_mode = transaction\n"
        "max_client_conn = 400\ndefault_pool_size = 40\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    (folder / "pgbouncer.log").touch()
    for file in folder.iterdir():
        file.chmod(0o666 if file.name.endswith(".log") else 0o644)
    as_user = ["-u", "postgres"] if os.getuid() == 0 else []  # it refuses to run as root
    with log.open("ab") as output:
        bouncer = subprocess.Popen(  # noqa: S603
            [binary, "-q", *as_user, str(folder / "pgbouncer.ini")],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            if bouncer.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PgBouncer did not start: see {folder / 'pgbouncer.log'}")
            time.sleep(0.2)
        yield urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@{HOST}:{port}"))
    finally:
        stop(bouncer)
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


def run_shape(shape: str, arguments, folder: Path, environment: dict) -> list[Page] | None:
    """Build the shape's database, count its pages' queries, and time them."""
    url = fresh_postgres_database(database_of(shape, arguments.scale))
    if url is None:
        return None
    environment = environment | {"DATABASE_URL": url}
    plan = folder / f"pages-{shape}.json"
    command = [sys.executable, __file__, "--build", str(plan), "--shape", shape]
    command += ["--scale", str(arguments.scale)]
    if subprocess.call(command, env=environment, cwd=ROOT) != 0:  # noqa: S603
        return None
    data = json.loads(plan.read_text())
    pages = [
        Page(
            p["label"],
            p["role"],
            p["path"],
            p["queries"] if p["status"] == 200 else None,
            p["largest_query"],
            users=p.get("users") or arguments.users,
            upload=p.get("upload", ""),
        )
        for p in data["pages"]
    ]
    data["pdf"] = (folder / "sealed.pdf").read_bytes()
    timed = [page for page in pages if chosen(page, arguments.only)]
    # The worker runs beside the servers, as in production (outbox, heartbeat).
    with (folder / f"worker-{shape}.log").open("ab") as output:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker"],
            env=environment,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        with contextlib.ExitStack() as stack:
            pooled = None
            if arguments.servers == 2:
                log = folder / f"pgbouncer-{shape}.log"
                pooled = environment | {
                    "DATABASE_URL": stack.enter_context(pgbouncer(url, log)),
                    "DISABLE_SERVER_SIDE_CURSORS": "1",
                }
            return _time_pages(shape, arguments, environment, pooled, data, pages, timed, folder)
    finally:
        stop(worker)


def _time_pages(shape, arguments, environment, pooled, data, pages, timed, folder) -> list[Page]:
    """Time each chosen page: one user alone, then the crowd on one server,
    then (--servers 2) the crowd on two servers through PgBouncer."""
    server_log = folder / f"gunicorn-{shape}.log"
    users = max(page.users for page in pages)
    with serving(environment, server_log, arguments) as (port,):
        sessions: dict[str, list[Session]] = {}
        for role, username in data["users"].items():
            # One login per role; its users share the session, as tabs do.
            sessions[role] = [Session(port, arguments.timeout) for _ in range(users)]
            sessions[role][0].log_in(username, data["password"], data["totp_keys"].get(username))
            for session in sessions[role][1:]:
                session.cookies = dict(sessions[role][0].cookies)
        sessions[ANONYMOUS] = [Session(port, arguments.timeout) for _ in range(users)]
    print(
        f"gunicorn: {arguments.workers} workers on {HOST}, started afresh for each page; "
        f"one user: {arguments.requests} requests per page; {arguments.users} users "
        f"(the open tariff list {OPEN_LIST_USERS}): {arguments.seconds:.0f} s per page"
        + ("; then the same on two servers through PgBouncer." if pooled else ".")
    )
    for page in timed:
        users = sessions[page.role][: page.users]
        # Fresh servers per page: requests the users gave up on (a page
        # slower than the timeout) do not count against the next.
        with serving(environment, server_log, arguments) as ports:
            on_ports(users, ports, page, data["pdf"])
            warm(page, users[: arguments.workers], arguments)
            alone(page, users[0], arguments)
            page.crowd, page.crowd_errors, page.crowd_seconds = crowd(page, users, arguments)
        if pooled:
            with serving(pooled, server_log, arguments, servers=2) as ports:
                on_ports(users, ports, page, data["pdf"])
                warm(page, users[: 2 * arguments.workers], arguments)
                page.crowd_two, page.crowd_two_errors, page.crowd_two_seconds = crowd(
                    page, users, arguments
                )
        for session in users:
            session.close()
        print(
            f"  {page.role}: {page.label}: p50 {percentiles(page.single)} ms alone, "
            f"{len(page.crowd)} requests by {page.users} users"
            + (f", {len(page.crowd_two)} on two servers" if pooled else ""),
            flush=True,
        )
    timeouts = server_log.read_text(errors="replace").count("WORKER TIMEOUT")
    print(f"\nShape {shape}:\n")
    print_table(pages, arguments.servers)
    if timeouts:
        print(f"\ngunicorn killed {timeouts} workers for taking longer than its timeout.")
    print()
    return pages


def database_of(shape: str, scale: float = 1.0) -> str:
    name = BENCH_DATABASE if shape == SHAPES[0] else f"{BENCH_DATABASE}_{shape}"
    return name if scale == 1 else f"{name}_scaled"


def chosen(page: Page, only: list[str] | None) -> bool:
    return not only or any(text in f"{page.role}: {page.label}" for text in only)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="one user: requests per page")
    parser.add_argument(
        "--single-seconds", type=float, default=30, help="one user: at most this long per page"
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=10, help="concurrent users: per page")
    parser.add_argument("--timeout", type=float, default=60, help="per request")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument(
        "--servers",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: also time the crowd against two gunicorn servers through PgBouncer",
    )
    parser.add_argument(
        "--shape", choices=SHAPES, help="one shape of the data (bench/region.py); both by default"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help='time only the pages whose "role: label" contains TEXT (repeatable)',
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the region's volumes times this (0.02 for a quick try; own databases)",
    )
    parser.add_argument("--build", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.build:
        build_and_count(Path(arguments.build), arguments.shape or SHAPES[0], arguments.scale)
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        environment = os.environ | {
            "DJANGO_SETTINGS_MODULE": "rammeaftale.settings",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "DEBUG": "",
            "PRODUCTION": "",
            "LOG_LEVEL": "WARNING",
            # The seal check is timed many times from one address.
            "VERIFY_RATE_PER_HOUR": "1000000",
        }
        # As in production: static files collected, with their manifest.
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
        if subprocess.call(collect, env=environment, cwd=ROOT) != 0:  # noqa: S603
            return 1
        for shape in [arguments.shape] if arguments.shape else SHAPES:
            if run_shape(shape, arguments, Path(folder), environment) is None:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
