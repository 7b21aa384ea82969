#!/bin/sh
# Make sure a Python >= 3.11 with venv and pip exists; install Debian's where it does not.
set -eu
PY="${1:-python3}"
ok() { "$PY" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
if ok; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Python 3 with venv through apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
    ok && exit 0
fi
echo "Python >= 3.11 with the venv module is required (apt-get install python3 python3-venv)." >&2
exit 1
