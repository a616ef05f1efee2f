#!/usr/bin/env bash
# Persistent connections survive a database restart. Serves the tracker with gunicorn on
# PostgreSQL, drops every server-side connection to the database (what a restart does to
# them), and checks that no request fails afterwards: Django's CONN_HEALTH_CHECKS finds the
# dead connection at the start of the next request and opens a new one.
#
#   bench/reconnect.sh postgres://USER:PASSWORD@127.0.0.1:5432/DB   (a database of your own)
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?give a PostgreSQL URL of a database of your own}"
port="${PORT:-8152}"
export DATABASE_URL="$url" SECRET_KEY="reconnect-check-only-$(date +%s)-key-0123456789abcdef" \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false DEBUG=false BIND="127.0.0.1:$port"
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/gunicorn -c gunicorn.conf.py tracker.wsgi 2>/dev/null &
server=$!
trap 'kill "$server"' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

requests() { for _ in $(seq 20); do curl -s -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$port/commitments/"; done; }
before=$(requests | sort | uniq -c | tr -s ' ')
dropped=$(psql "$url" -Atc "select count(pg_terminate_backend(pid)) from pg_stat_activity
  where datname = current_database() and pid <> pg_backend_pid()")
after=$(requests | sort | uniq -c | tr -s ' ')
echo "before:${before} | connections dropped: ${dropped} | after:${after}"
[ "$after" = "$before" ] && ! grep -qv " 200" <<<"$after"
