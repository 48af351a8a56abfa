# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := APP_ENV=$${APP_ENV:-development} $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install translations i18n run test test-sqlite lint format bench serve worker beat db-upgrade browser-deps redis-deps screenshots clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) translations

# Compiled catalogues (.mo) are not in git: built here, and by the app at start when stale.
# Both domains: ours ("messages") and Flask-Admin's own strings ("admin", which it ships without hi).
# (Not `pybabel compile`: its %-format check misreads "30% or more" in our {brace} texts;
# tests/i18n/test_catalogues.py checks the placeholders instead.)
PYBABEL := $(VENV)/bin/pybabel
translations: $(STAMP)
	@$(PY) -c "from webapp.i18n import compile_catalogues; compile_catalogues(force=True)"

# Flask-Admin's own English catalogue: the template of our admin.po (Flask-Admin ships no Hindi).
FLASK_ADMIN_PO = $(shell $(PY) -c "import flask_admin, pathlib; \
	print(pathlib.Path(flask_admin.__file__).parent / 'translations/en/LC_MESSAGES/admin.po')")

# After changing a page's text: extract every message into messages.pot and update each
# language's messages.po (then translate the new entries, fuzzy ones too; README "Languages").
i18n: $(STAMP)
	$(PYBABEL) -q extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k Nn_:1,2 -k tr -k lazy_tr -k trn:1,2 \
		--sort-output --no-location --no-wrap --project "ShikshaDisha Admin" \
		-o webapp/translations/messages.pot webapp
	$(PYBABEL) -q update -i webapp/translations/messages.pot -d webapp/translations --no-wrap --ignore-obsolete
	$(PYBABEL) -q update -D admin -i "$(FLASK_ADMIN_PO)" -d webapp/translations --no-wrap --ignore-obsolete \
		--no-fuzzy-matching

db-upgrade: install
	$(FLASK) db upgrade

# Seeds the small demo (about 200 learners, 90 days) once, on an empty database, and prints its logins.
# Without CELERY_BROKER_URL the jobs run in the server's embedded scheduler (webapp/jobs/embedded.py).
run: db-upgrade
	$(FLASK) demo seed --size small --if-empty
	$(FLASK) analytics refresh
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production: migrate, then gunicorn (settings in gunicorn.conf.py; BIND, WEB_CONCURRENCY, ...).
PROD := APP_ENV=$${APP_ENV:-production}
serve: install
	$(PROD) $(VENV)/bin/flask --app wsgi db upgrade
	$(PROD) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

# Production background jobs (CELERY_BROKER_URL=redis://...): any number of workers, exactly one beat.
worker: install
	$(PROD) exec $(VENV)/bin/celery -A webapp.jobs.worker worker --loglevel=INFO
beat: install
	$(PROD) exec $(VENV)/bin/celery -A webapp.jobs.worker beat --loglevel=INFO

# Benchmarks (bench/README.md): e.g. make bench SIZES="small medium" BACKENDS="sqlite postgresql"
bench: install
	$(PY) -m bench $(if $(SIZES),--sizes "$(SIZES)") $(if $(BACKENDS),--backends "$(BACKENDS)") $(BENCH_ARGS)

browser-deps:
	@bash scripts/ensure-chromium.sh

# redis-server for the tests that run real Celery workers (each test starts its own).
redis-deps:
	@bash scripts/ensure-redis.sh

PYTEST_ARGS ?= -n 2
test: install browser-deps redis-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The README's screenshots (docs/screenshots/), taken by the browser tests over the small demo.
screenshots: install browser-deps
	README_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/browser/test_responsive.py -k demo_overview

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
