"""The benchmarks' own PostgreSQL databases: each is dropped and created again.

Only the database named by the caller is touched, on the server DATABASE_URL
names or on 127.0.0.1:5432 as user postgres.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def fresh_postgres_database(name: str) -> str | None:
    """Drop and create the database `name`; its URL, or None when no
    PostgreSQL answers."""
    import psycopg2

    if not name.startswith("rammeaftale_bench"):
        raise ValueError(f"{name}: a benchmark only drops databases of its own")
    parts = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    if not parts.scheme.startswith("postgres"):
        parts = urlsplit("postgres://postgres@127.0.0.1:5432/x")
    try:
        server = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
            connect_timeout=3,
        )
    except psycopg2.OperationalError as error:
        print(f"PostgreSQL: not reachable ({str(error).strip()}); skipped.")
        return None
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    return urlunsplit(parts._replace(path=f"/{name}"))
