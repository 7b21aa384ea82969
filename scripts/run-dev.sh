#!/bin/sh
# `make run`'s servers: a task worker (link checks, report and score imports, e-mail) beside the
# development web server, both stopped together. Background work never runs inside a request.
set -eu
PY="$1"
export PRONGSAI_DEBUG=1
# The retention policy once at start (deployment runs it daily: docs/deploy.md, section 7).
"$PY" manage.py cleanup >/dev/null || echo "Prongsai: the cleanup failed; starting anyway" >&2
"$PY" manage.py db_worker --no-reload -v 0 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
echo "Prongsai: open http://127.0.0.1:8000/ (a task worker runs beside it; Ctrl-C stops both)"
"$PY" manage.py runserver 127.0.0.1:8000
