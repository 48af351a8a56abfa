#!/usr/bin/env bash
# Install Debian's Chromium for the Playwright tests when it is missing, and a
# Devanagari font (fonts-noto-core) for the pages in Hindi.
# Playwright's own browser download cannot work on closed networks, so the
# tests drive /usr/bin/chromium. Outside CI a failed install only warns: the
# browser tests then skip with a reason. In CI it is an error.
set -u
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
# Without a Devanagari font Chromium draws Hindi as empty boxes (the screenshots would show them).
if ! dpkg -s fonts-noto-core >/dev/null 2>&1; then
  echo "Installing Debian's fonts-noto-core (Devanagari) for the browser tests in Hindi..."
  if ! { command -v apt-get >/dev/null 2>&1 \
      && $SUDO apt-get update -qq >/dev/null 2>&1 \
      && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core >/dev/null 2>&1; }; then
    if [ "${CI:-}" = "true" ]; then
      echo "error: could not install Debian's fonts-noto-core (Hindi in the browser tests)" >&2
      exit 1
    fi
    echo "warning: could not install fonts-noto-core; Hindi screenshots will show boxes" >&2
  fi
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "Chromium is missing: installing Debian's chromium package for the browser tests..."
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
