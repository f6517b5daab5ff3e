"""Benchmark: each role's main pages over HTTP, at a region's size, on PostgreSQL.

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --requests 20 --users 20 --seconds 10
    .venv/bin/python bench/pages.py --shape mixed

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
from urllib.parse import urlencode

from database import fresh_postgres_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "rammeaftale_bench_pages"
SHAPES = ("region", "mixed")
HOST = "127.0.0.1"
ANONYMOUS = "anonymous"  # pages without a login


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
        {"label": "decisions", "role": "secretariat", "path": reverse("meetings:decisions")},
        {"label": "tariff rounds", "role": "secretariat", "path": reverse("tariffs:rounds")},
        {
            "label": "/takster/ (open tariff list)",
            "role": ANONYMOUS,
            "path": reverse("tariffs:list"),
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


def build_and_count(out: Path, shape: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import region as region_module
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("loaddata", "regions", "collaboration_models", "framework_agreements", verbosity=0)
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


def timed(session: Session, path: str) -> tuple[float, int, int]:
    """Milliseconds, status and size of one GET; status 0 when it failed."""
    started = time.perf_counter()
    try:
        status, content = session.request("GET", path)
    except (OSError, http.client.HTTPException):
        session.close()
        return (time.perf_counter() - started) * 1000, 0, 0
    return (time.perf_counter() - started) * 1000, status, len(content)


def measure(page: Page, sessions: list[Session], arguments) -> None:
    # Warm the fresh server's workers on the page itself, several requests at
    # once so that each worker takes some (uncounted): a worker's first
    # request of a page compiles its templates and opens a database
    # connection. Then one user alone.
    def warm(session: Session) -> None:
        for _ in range(2):
            timed(session, page.path)

    warming = [
        threading.Thread(target=warm, args=(s,), daemon=True) for s in sessions[: arguments.workers]
    ]
    for thread in warming:
        thread.start()
    for thread in warming:
        thread.join(2 * arguments.timeout)
    deadline = time.monotonic() + arguments.single_seconds
    for _ in range(arguments.requests):
        milliseconds, status, size = timed(sessions[0], page.path)
        page.single.append(milliseconds)
        if status == 200:
            page.size = size
        else:
            page.single_errors += 1
        if time.monotonic() > deadline:
            break

    # Many users at once, for a bounded time.
    lock = threading.Lock()
    deadline = time.monotonic() + arguments.seconds

    def user(session: Session) -> None:
        for _ in range(10_000):
            if time.monotonic() > deadline:
                return
            milliseconds, status, _size = timed(session, page.path)
            with lock:
                page.crowd.append(milliseconds)
                page.crowd_errors += status != 200

    threads = [threading.Thread(target=user, args=(s,), daemon=True) for s in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(arguments.seconds + arguments.timeout + 5)
    page.crowd_seconds = time.monotonic() - started


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


def print_table(pages: list[Page], users: int) -> None:
    header = (
        "page",
        "role",
        "queries",
        "largest query ms",
        "HTML",
        "1 user p50/p95/p99 ms",
        "err",
        f"{users} users p50/p95/p99 ms",
        "req/s",
        "err",
    )
    rows = [
        (
            page.label,
            page.role,
            "–" if page.queries is None else str(page.queries),
            "–" if page.largest_query is None else f"{page.largest_query:.1f}",
            size_text(page.size),
            percentiles(page.single),
            f"{page.single_errors}/{len(page.single)}",
            percentiles(page.crowd),
            f"{len(page.crowd) / page.crowd_seconds:.1f}" if page.crowd_seconds else "–",
            f"{page.crowd_errors}/{len(page.crowd)}",
        )
        for page in pages
    ]
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


@contextlib.contextmanager
def serving(environment: dict, log: Path, arguments):
    """gunicorn with the project's configuration on a free port of 127.0.0.1;
    yields the port, and stops the server (by its process id) afterwards."""
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
    try:
        wait_until_serving(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_shape(shape: str, arguments, folder: Path, environment: dict) -> list[Page] | None:
    """Build the shape's database, count its pages' queries, and time them."""
    url = fresh_postgres_database(database_of(shape))
    if url is None:
        return None
    environment = environment | {"DATABASE_URL": url}
    plan = folder / f"pages-{shape}.json"
    command = [sys.executable, __file__, "--build", str(plan), "--shape", shape]
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
        )
        for p in data["pages"]
    ]
    timed = [page for page in pages if chosen(page, arguments.only)]
    server_log = folder / f"gunicorn-{shape}.log"
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
        return _time_pages(shape, arguments, environment, data, pages, timed, server_log)
    finally:
        worker.terminate()
        worker.wait(30)


def _time_pages(shape, arguments, environment, data, pages, timed, server_log) -> list[Page]:
    """Time each chosen page: one user alone, then the crowd."""
    with serving(environment, server_log, arguments) as port:
        sessions: dict[str, list[Session]] = {}
        for role, username in data["users"].items():
            # One login per role; its users share the session, as tabs do.
            sessions[role] = [Session(port, arguments.timeout) for _ in range(arguments.users)]
            sessions[role][0].log_in(username, data["password"], data["totp_keys"].get(username))
            for session in sessions[role][1:]:
                session.cookies = dict(sessions[role][0].cookies)
        sessions[ANONYMOUS] = [Session(port, arguments.timeout) for _ in range(arguments.users)]
    print(
        f"gunicorn: {arguments.workers} workers on {HOST}, started afresh for each page; "
        f"one user: {arguments.requests} requests per page; {arguments.users} users: "
        f"{arguments.seconds:.0f} s per page."
    )
    for page in timed:
        # A fresh server per page: requests the users gave up on (a
        # page slower than the timeout) do not count against the next.
        with serving(environment, server_log, arguments) as port:
            for session in sessions[page.role]:
                session.close()
                session.port = port
            measure(page, sessions[page.role], arguments)
            for session in sessions[page.role]:
                session.close()
        print(
            f"  {page.role}: {page.label}: p50 {percentiles(page.single)} ms alone, "
            f"{len(page.crowd)} requests by {arguments.users} users",
            flush=True,
        )
    timeouts = server_log.read_text(errors="replace").count("WORKER TIMEOUT")
    print(f"\nShape {shape}:\n")
    print_table(pages, arguments.users)
    if timeouts:
        print(f"\ngunicorn killed {timeouts} workers for taking longer than its timeout.")
    print()
    return pages


def database_of(shape: str) -> str:
    return BENCH_DATABASE if shape == SHAPES[0] else f"{BENCH_DATABASE}_{shape}"


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
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--shape", choices=SHAPES, help="one shape of the data (bench/region.py); both by default"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help='time only the pages whose "role: label" contains TEXT (repeatable)',
    )
    parser.add_argument("--build", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.build:
        build_and_count(Path(arguments.build), arguments.shape or SHAPES[0])
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        environment = os.environ | {
            "DJANGO_SETTINGS_MODULE": "rammeaftale.settings",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "DEBUG": "",
            "PRODUCTION": "",
            "LOG_LEVEL": "WARNING",
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
