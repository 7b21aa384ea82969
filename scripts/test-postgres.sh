#!/bin/sh
# The database tests again on PostgreSQL when it is reachable (DATABASE_URL, else the local server).
# REQUIRE_POSTGRES=1 (set by .ci/run) turns "not reachable" into a failure instead of a skip.
set -eu
PY="$1"; shift
URL="${PRONGSAI_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/prongsai}"
if ! "$PY" -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('/prongsai', '/postgres'), connect_timeout=3).close()" "$URL" 2>/dev/null; then
    if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
        echo "PostgreSQL is not reachable at $URL and REQUIRE_POSTGRES=1" >&2
        exit 1
    fi
    echo "PostgreSQL not reachable at $URL: database tests ran on SQLite only" >&2
    exit 0
fi
echo "Database tests on PostgreSQL ($URL)" >&2
DATABASE_URL="$URL" exec "$PY" -m pytest -m django_db "$@"
