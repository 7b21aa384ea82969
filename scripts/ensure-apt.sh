#!/bin/sh
# Install the Debian packages named on the command line that are missing (needs root and apt-get).
# Without them a feature's tests skip with a message naming the package; nothing else breaks.
set -eu
missing=""
for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 || {
        apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
    }
else
    echo "Missing Debian packages:$missing (run as root: apt-get install$missing)" >&2
fi
