#!/usr/bin/env bash
# Install Debian's redis-server for the tests that run real Celery workers when it is missing.
# The tests start their own redis-server on a free port (never the shared one). Outside CI a
# failed install only warns: those tests then skip with a reason. In CI it is an error.
set -u
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
echo "redis-server is missing: installing Debian's redis-server package for the job tests..."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
if command -v apt-get >/dev/null 2>&1 \
  && $SUDO apt-get update -qq >/dev/null 2>&1 \
  && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1; then
  # The package starts a system service on 6379; the tests do not need it.
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
  echo "redis-server installed: $(redis-server --version)"
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "error: could not install Debian's redis-server package (needed by the job tests in CI)" >&2
  exit 1
fi
echo "warning: could not install redis-server; the Celery worker tests will be skipped" >&2
exit 0
