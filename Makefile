# Commitment Tracker — `make run` to serve locally, `make test` to run the suite, `make lint`
# for ruff and mypy, `make serve` for the production server (gunicorn), `make bench` for the
# benchmarks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: run serve test test-sqlite setup migrate messages lint bench bench-pages profile instructions reliability backup restore clean cluster cluster-stop cluster-test

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# The French catalogue is committed as .po; its compiled .mo is built here, never committed.
MO := locale/fr/LC_MESSAGES/django.mo
$(MO): locale/fr/LC_MESSAGES/django.po $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install -y gettext" >&2; exit 1; }
	DEBUG=true $(BIN)/python manage.py compilemessages --locale fr --ignore .venv --verbosity 0

messages: $(MO)

migrate: setup messages
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_seed

run: migrate
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# gunicorn (gunicorn.conf.py: one worker per core + 1), DEBUG off, whitenoise serving the
# compressed, hashed files of collectstatic. With SECRET_KEY set, every setting comes from
# the environment (.env.example) and nothing is relaxed. Without it, this is a local run:
# a random key kept in .local-secret-key, hosts 127.0.0.1/localhost, plain http, seed data.
LOCAL_SECRET := .local-secret-key
BIND ?= 127.0.0.1:8000

$(LOCAL_SECRET):
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: setup messages $(LOCAL_SECRET)
	@if [ -n "$$SECRET_KEY" ]; then \
	  echo "== Serving with the settings of the environment (SECRET_KEY is set)"; \
	else \
	  echo "== Local run on http://$(BIND)/ (no SECRET_KEY: key from $(LOCAL_SECRET), http, localhost only)"; \
	  export SECRET_KEY="$$(cat $(LOCAL_SECRET))" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	    SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false LOCAL_SEED=1; \
	fi; \
	export DEBUG=false BIND="$(BIND)"; \
	$(BIN)/python manage.py migrate --no-input && \
	{ [ -z "$$LOCAL_SEED" ] || $(BIN)/python manage.py load_seed; } && \
	$(BIN)/python manage.py collectstatic --no-input -v0 && \
	exec $(BIN)/gunicorn -c gunicorn.conf.py tracker.wsgi

# The whole suite on SQLite, then on PostgreSQL when POSTGRES_TEST_URL names a database
# server. Under CI=true the PostgreSQL run is required, never skipped.
# With POSTGRES_TEST_URL the suite runs on SQLite and on PostgreSQL at the same time (two
# cores: about a third less time than one after the other), each line marked with its
# database; the target fails if either run fails.
test: setup messages
	@if [ -n "$$POSTGRES_TEST_URL" ]; then \
	  echo "== The suite on SQLite and, at the same time, on PostgreSQL ($$POSTGRES_TEST_URL)"; \
	  ( $(BIN)/python -m pytest 2>&1; echo $$? > .sqlite-suite.status ) | sed -u 's/^/[sqlite] /' & \
	  ( DATABASE_URL="$$POSTGRES_TEST_URL" $(BIN)/python -m pytest -p no:cacheprovider 2>&1; \
	    echo $$? > .postgres-suite.status ) | sed -u 's/^/[postgres] /'; \
	  wait; \
	  sqlite=$$(cat .sqlite-suite.status); postgres=$$(cat .postgres-suite.status); \
	  rm -f .sqlite-suite.status .postgres-suite.status; \
	  echo "== SQLite suite: exit $$sqlite; PostgreSQL suite: exit $$postgres"; \
	  [ "$$sqlite" = 0 ] && [ "$$postgres" = 0 ]; \
	elif [ "$$CI" = "true" ]; then \
	  echo "POSTGRES_TEST_URL is not set: under CI the suite must also run on PostgreSQL." >&2; exit 1; \
	else \
	  $(BIN)/python -m pytest && \
	  echo "SKIPPED the PostgreSQL run: set POSTGRES_TEST_URL=postgres://USER:PASSWORD@127.0.0.1:5432/DB (a role that may create databases) to run it."; \
	fi

test-sqlite: setup messages
	$(BIN)/python -m pytest

# Benchmarks (not part of `make test`): docs/benchmarks.md records the figures.
# bench/pages.py needs wrk (apt-get install wrk) and installs Datasette, the comparison,
# into bench/.venv-datasette from bench/requirements-datasette.txt (never into .venv).
bench: setup bench-pages
	$(BIN)/python bench/export_updates.py --database sqlite
	@if [ -n "$$BENCH_POSTGRES_URL" ]; then \
	  $(BIN)/python bench/export_updates.py --database postgres --url "$$BENCH_POSTGRES_URL"; \
	else echo "SKIPPED the PostgreSQL benchmark: set BENCH_POSTGRES_URL to a database it may fill."; fi

# Load and a PostgreSQL restart against gunicorn (bench/load_and_faults.py); .ci/run runs it.
# It restarts the cluster PG_CLUSTER ("15 main") and recreates RELIABILITY_DATABASE_URL's database.
reliability: setup
	@test -n "$(RELIABILITY_DATABASE_URL)" -a -n "$(PG_CLUSTER)" || { \
	  echo "Usage: make reliability RELIABILITY_DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/tracker_load PG_CLUSTER='15 main'"; exit 2; }
	$(BIN)/python bench/load_and_faults.py --database-url "$(RELIABILITY_DATABASE_URL)" --cluster "$(PG_CLUSTER)"

# The configured database (DATABASE_URL, or the local SQLite file) to backups/, and back.
# Without SECRET_KEY in the environment these run with the local development settings.
LOCAL_ENV := $(if $(SECRET_KEY),,DEBUG=true)
backup: setup
	$(LOCAL_ENV) $(BIN)/python manage.py backup_database $(FILE)

restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<file> (make backup prints the name)"; exit 2; }
	$(LOCAL_ENV) $(BIN)/python manage.py restore_database "$(FILE)"

bench-pages: setup
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python bench/pages.py --database sqlite
	@if [ -n "$$BENCH_POSTGRES_URL" ]; then \
	  $(BIN)/python bench/pages.py --database postgres --url "$$BENCH_POSTGRES_URL"; \
	else echo "SKIPPED the PostgreSQL page benchmark: set BENCH_POSTGRES_URL to a database it may fill."; fi

# A page's profile over the benchmark data, e.g. make profile PAGE=/commitments/?sort=title
PAGE ?= /commitments/
profile: setup
	$(BIN)/pip install --quiet -r bench/requirements-profile.txt
	$(BIN)/python bench/profile_pages.py "$(PAGE)"

# Instructions (callgrind) one request to PAGE costs: steady on a busy machine.
instructions: setup
	@command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
	$(BIN)/python bench/instructions.py "$(PAGE)"

# ruff, then mypy over commitments/ and tracker/ (configured in pyproject.toml). The Django
# plugin imports the settings, which need a SECRET_KEY unless DEBUG is on.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache $(MO) bench/.venv-datasette

# Several servers on this machine (bench/cluster.py, docs/scaling.md): a PostgreSQL primary
# and hot standby, Redis, HAProxy before two gunicorn servers; Debian's packages (postgresql,
# redis-server, haproxy), loopback only, as root (pg_createcluster). cluster-stop ends exactly
# what cluster started; cluster-test starts one, checks it through HAProxy and stops it.
cluster: setup messages
	$(BIN)/python bench/cluster.py start

cluster-stop:
	$(BIN)/python bench/cluster.py stop

cluster-test: setup messages
	@if [ "$$(id -u)" != 0 ] || ! command -v haproxy >/dev/null || ! command -v redis-server >/dev/null; then \
	  if [ "$$CI" = "true" ]; then echo "cluster-test needs root, haproxy and redis-server under CI" >&2; exit 1; fi; \
	  echo "SKIPPED the cluster test: it needs root (pg_createcluster), haproxy and redis-server (apt-get install haproxy redis-server)."; \
	else timeout 300 $(BIN)/python bench/cluster.py test; fi
