#!/usr/bin/env bash
# Install Debian's Chromium for the Playwright tests when it is missing.
# Playwright's own browser download cannot work on closed networks, so the
# tests drive /usr/bin/chromium. Outside CI a failed install only warns: the
# browser tests then skip with a reason. In CI it is an error.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "Chromium is missing: installing Debian's chromium package for the browser tests..."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
if command -v apt-get >/dev/null 2>&1 \
  && $SUDO apt-get update -qq >/dev/null 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; then
  echo "Chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "error: could not install Debian's chromium package (needed by the browser tests in CI)" >&2
  exit 1
fi
echo "warning: could not install chromium; browser tests will be skipped" >&2
exit 0
