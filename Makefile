# Wayfare: day-to-day commands. `make` (or `make help`) lists them.
# A fresh machine needs only python3, pip and make; everything else goes in $(VENV).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON      ?= python3
VENV        ?= .venv
PORT        ?= 8000
WORKERS     ?= 3
PYTEST_ARGS ?=
LOAD_DEMO_ARGS ?=
BENCH_ARGS  ?=

BIN    := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP  := $(VENV)/.installed-from-pyproject

.PHONY: help install run serve-prod test bench worker beat check-deploy clean distclean

help: ## list the commands
	@echo "Wayfare — make <target>   (variables: PORT=$(PORT) VENV=$(VENV) PYTEST_ARGS='…')"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[test]'
	touch $@

install: $(STAMP) ## create the virtualenv (VENV) and install the project and its test tools (only when pyproject.toml changed)

run: install ## migrate, load the demo, train the recommender (if there is one), serve on http://127.0.0.1:$(PORT)/
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo $(LOAD_DEMO_ARGS) | tee var/demo-accounts.txt
	@if $(MANAGE) help train_recommender >/dev/null 2>&1; then \
		echo "== training the recommender"; $(MANAGE) train_recommender; \
	else \
		echo "== no train_recommender command yet: serving without a trained model"; \
	fi
	@echo
	@echo "== demo accounts"
	@sed -n '/^e-mail/,/^Password for all demo accounts/p' var/demo-accounts.txt
	@echo
	@echo "== Wayfare is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve-prod: install ## collect static files, migrate, serve with gunicorn (set DJANGO_ENV=production, SECRET_KEY, ALLOWED_HOSTS)
	@[ "$${DJANGO_ENV:-}" = production ] || echo "note: DJANGO_ENV is not 'production': serving the development settings with gunicorn"
	$(MANAGE) collectstatic --noinput
	$(MANAGE) migrate --noinput
	$(BIN)/gunicorn portal.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips '127.0.0.1'

bench: install ## every benchmark in bench/ as one table (BENCH_ARGS='--members 2000 --quick' for a smoke run)
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

test: install ## run the test suite (PYTEST_ARGS='-k sign_in -x' to narrow it)
	$(BIN)/pytest $(PYTEST_ARGS)

define require_redis
	@if [ -z "$${REDIS_URL:-}" ] && ! grep -qs '^REDIS_URL=..*' .env; then \
		echo "make $@: REDIS_URL is not set. Celery needs Redis as its broker, e.g." >&2; \
		echo "  REDIS_URL=redis://127.0.0.1:6379/0 make $@" >&2; \
		echo "(without REDIS_URL the web process runs every task itself, eagerly; no worker is needed)" >&2; \
		exit 1; \
	fi
endef

worker: install ## run a Celery worker on the default and training queues (needs REDIS_URL)
	$(require_redis)
	$(BIN)/celery -A portal worker -Q default,training --loglevel=INFO

beat: install ## run Celery beat, the periodic task scheduler (needs REDIS_URL; run exactly one)
	$(require_redis)
	$(BIN)/celery -A portal beat --loglevel=INFO --schedule var/celerybeat-schedule

check-deploy: install ## Django's deploy checks on the production settings (fails on any warning)
	DJANGO_ENV=production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-example.com}" \
	$(MANAGE) check --deploy --fail-level WARNING

clean: ## remove caches and collected static files (keeps the virtualenv and the database)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache var/static var/celerybeat-schedule* var/demo-accounts.txt

distclean: clean ## also remove the virtualenv
	rm -rf $(VENV)

# ---------------------------------------------------------------------------
# Translations (docs/i18n-a11y.md). Babel does both steps in Python, so a
# machine without GNU gettext can extract and compile; the compiled .mo files
# are committed, and tests/portal/test_translations.py fails when one is stale.
LOCALES      ?= zh_Hant
BABEL_KEYWORDS := -k _ -k gettext -k gettext_lazy -k gettext_noop -k ngettext:1,2 -k ngettext_lazy:1,2 \
                  -k pgettext:1c,2 -k pgettext_lazy:1c,2 -k npgettext:1c,2,3 -k npgettext_lazy:1c,2,3

.PHONY: messages compilemessages

messages: install ## extract every UI string (Python and Jinja2) to locale/django.pot and merge it into each locale's django.po
	@# Wagtail's Jinja2 tag modules import models: Django is set up first (as in tests/portal/test_translations.py).
	DJANGO_SETTINGS_MODULE=portal.settings $(BIN)/python -c "import django, sys; django.setup(); \
		from babel.messages.frontend import main; sys.argv[0] = 'pybabel'; sys.exit(main())" extract --mapping-file babel.cfg --no-default-keywords $(BABEL_KEYWORDS) \
		--sort-by-file --no-wrap --project Wayfare --copyright-holder Wayfare \
		--msgid-bugs-address "" --output-file locale/django.pot .
	@for l in $(LOCALES); do \
		if [ -f locale/$$l/LC_MESSAGES/django.po ]; then \
			$(BIN)/pybabel update --input-file locale/django.pot --output-dir locale --domain django \
				--locale $$l --no-fuzzy-matching --ignore-obsolete --no-wrap; \
		else \
			$(BIN)/pybabel init --input-file locale/django.pot --output-dir locale --domain django --locale $$l --no-wrap; \
		fi; \
	done
	@echo "== now translate the empty msgstr entries in locale/*/LC_MESSAGES/django.po, then: make compilemessages"

compilemessages: install ## compile locale/*/LC_MESSAGES/django.po to the .mo files Django reads (commit both)
	$(BIN)/pybabel compile --directory locale --domain django --statistics
