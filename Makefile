# Rammeaftale: `make run` serves the demo, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test lint fmt bench messages check-system check-test-system check-pgbouncer install clean vendor-dkfds

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rammeaftale needs Python 3.11 or newer.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) check-system

# WeasyPrint needs Pango from the operating system; say so in one line.
check-system: $(STAMP)
	@$(PY) -c 'import weasyprint' 2>/dev/null || { \
	  echo "WeasyPrint cannot load Pango: install it with 'apt-get install libpango-1.0-0 libpangoft2-1.0-0' (Debian/Ubuntu) or 'brew install pango' (macOS)."; \
	  exit 1; }

# What the tests need besides: Chromium for the browser tests, xmlsec1 for
# SAML. Running as root, a missing one is installed with apt-get; otherwise
# one line says what to install, and the tests do not start.
CHROMIUM ?= /usr/bin/chromium
XMLSEC1 ?= /usr/bin/xmlsec1
check-test-system: check-system
	@scripts/system_package.sh $(CHROMIUM) chromium "the browser tests drive it"
	@scripts/system_package.sh $(XMLSEC1) xmlsec1 "SAML signs and checks its messages with it"
	@scripts/system_package.sh $(PGBOUNCER) pgbouncer "scripts/two_servers.sh and its test run PostgreSQL through it"

# PgBouncer (Debian's pgbouncer) for scripts/two_servers.sh, installed the same way.
PGBOUNCER ?= /usr/sbin/pgbouncer
check-pgbouncer:
	@scripts/system_package.sh $(PGBOUNCER) pgbouncer "scripts/two_servers.sh runs PostgreSQL through it"

# The demo only: the second factor is off (OTP_REQUIRED=0) so that the demo
# users log in with their password alone. Never set it so in production.
# The worker (outbox, daily jobs) runs beside the server and stops with it.
# Links in e-mails (invitations) point at the address served, HOST, unless
# SITE_URL is set.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seal_demo_certificate
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST)/ with the worker beside it (Ctrl+C stops both)"
	@export DEBUG=1 OTP_REQUIRED=0 SITE_URL=$${SITE_URL:-http://$(HOST)}; \
	  $(PY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST)

test: install check-test-system
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Import 10,000 offers on SQLite and, when it answers, on PostgreSQL (database
# rammeaftale_bench on the DATABASE_URL server or 127.0.0.1:5432); prints rows/s.
# Then each role's pages over HTTP against gunicorn, at a region's size in two
# shapes, in the PostgreSQL databases rammeaftale_bench_pages(_mixed); prints a
# table per shape (BENCH_PAGES_ARGS="--shape mixed" builds one; "--servers 2"
# adds two servers through PgBouncer). It seals a contract with the demo seal.
bench: install check-pgbouncer
	$(PY) manage.py seal_demo_certificate
	$(PY) bench/import_offers.py $(BENCH_ARGS)
	$(PY) bench/pages.py $(BENCH_PAGES_ARGS)

# Regenerate the Danish catalogue after changing texts; the .mo file is committed.
# po_fill drops msgmerge's fuzzy guesses and lists the texts still to translate;
# translations are filled with `$(PY) scripts/po_fill.py FILE` (see the script).
messages: $(STAMP)
	$(PY) manage.py makemessages --locale da --no-location --ignore '$(VENV)/*' --ignore 'staticfiles/*'
	$(PY) scripts/po_fill.py
	$(PY) manage.py compilemessages --locale da --ignore '$(VENV)/*'

# Det Fælles Designsystem (virk.dk theme), vendored under static/vendor/dkfds/.
# Needs npm only to fetch it; the site runs without Node. Pinned version:
DKFDS_VERSION := 11.2.0
vendor-dkfds:
	scripts/vendor_dkfds.sh $(DKFDS_VERSION)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
