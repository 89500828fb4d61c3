# The two commands a newcomer needs:  make demo  and  make test  (see README.md).
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: setup demo test check audit messages clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Set up, seed and run the portal on SQLite with a file-system Celery broker (no servers).
## DEBUG is off, as in production: a missing page shows the portal's own Danish 404 page.
demo: setup
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --json var/demo-logins.json --idp-config var/idp.json \
		--portal-url http://127.0.0.1:$(PORT) --portal-url http://localhost:$(PORT)
	@echo ""
	@echo "IPS Portal runs at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)."
	PORT=$(PORT) DEBUG=false DEMO_SHOW_SECOND_FACTOR=true $(VENV)/bin/honcho start -f Procfile.dev

## Run the whole test suite (against PostgreSQL and Redis: DATABASE_URL, REDIS_URL).
test: setup
	bin/ensure-chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## The static gates CI runs besides the tests (bandit: no medium or higher findings; mypy with
## django-stubs, strict on the services, selectors and the access policy).
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -r cases consent meetings reporting selfservice demo ipsportal --severity-level medium
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

## Known vulnerabilities in the pinned dependencies (pip-audit). Needs PyPI's JSON API or OSV,
## which the project's own machines cannot reach, so CI does not run it (docs/security.md).
audit:
	@test -x var/auditvenv/bin/pip-audit || ("$$(bin/find-python)" -m venv var/auditvenv && var/auditvenv/bin/pip install --quiet pip-audit)
	var/auditvenv/bin/pip-audit --strict --no-deps --disable-pip -r requirements.lock

## Refresh the translation catalogues after changing texts.
messages: setup
	$(PY) manage.py makemessages -l da -l en -l ar --no-location --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules var
