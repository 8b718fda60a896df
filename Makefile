# Alliance Assistant — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export ASSISTANT_DATA_DIR ?= ./data
export ASSISTANT_CORPUS_DIR ?= ./corpus

.PHONY: spelling balancer install run ingest serve test browser office bench lock clean

install: $(STAMP)

# Reinstalls only when the pinned dependencies or the package metadata change.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9" \
	  || echo "uv indisponible : installation avec pip"
	@if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock \
	  && $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . ; \
	else \
	  $(BIN)/pip install --quiet -r requirements.lock && $(BIN)/pip install --quiet --no-deps -e . ; \
	fi
	@touch $(STAMP)
	@echo "Installation terminée ($(VENV))."

# Incremental: unchanged documents are neither re-read nor re-embedded.
ingest: install
	$(BIN)/assistant ingest $(ASSISTANT_CORPUS_DIR) --prune

run: ingest
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

test: install browser office spelling balancer
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# LibreOffice and pdftoppm turn the generated Word files into PDF and PNG (page 1) for the test
# artifacts. Best effort: without them those checks are skipped, never failed.
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  echo "Installation de LibreOffice Writer et poppler pour le rendu des documents Word (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -q --no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null 2>&1 \
	    || { $(SUDO) apt-get update -q >/dev/null 2>&1 \
	         && $(SUDO) apt-get install -y -q --no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null 2>&1; } \
	    || echo "LibreOffice non installé : le rendu PDF des documents Word sera ignoré."; \
	fi

# The browser tests drive Debian's Chromium (never a Playwright browser download). Installed only when
# missing; without it the browser tests fail in CI and are skipped elsewhere.
CHROMIUM ?= /usr/bin/chromium
SUDO ?= $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installation de Chromium pour les tests du navigateur (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -q chromium >/dev/null \
	    || { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q chromium >/dev/null; } \
	    || if [ -n "$$CI" ]; then echo "Échec de l'installation de Chromium (nécessaire en CI)." >&2; exit 1; \
	       else echo "Chromium non installé : les tests du navigateur seront ignorés."; fi; \
	fi

# hunspell and its French dictionary check the spelling of every rendered clause. Installed only when missing;
# without them the spelling test fails in CI and is skipped elsewhere.
spelling:
	@if ! command -v hunspell >/dev/null || [ ! -f /usr/share/hunspell/fr_FR.dic ]; then \
	  echo "Installation de hunspell et du dictionnaire français pour la vérification orthographique (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -q --no-install-recommends hunspell hunspell-fr >/dev/null 2>&1 \
	    || { $(SUDO) apt-get update -q >/dev/null 2>&1 \
	         && $(SUDO) apt-get install -y -q --no-install-recommends hunspell hunspell-fr >/dev/null 2>&1; } \
	    || if [ -n "$$CI" ]; then echo "Échec de l'installation de hunspell-fr (nécessaire en CI)." >&2; exit 1; \
	       else echo "hunspell-fr non installé : la vérification orthographique des clauses sera ignorée."; fi; \
	fi

# HAProxy stands in front of two replicas in the scale-out test (tests/system/test_replicas.py). Installed only
# when missing; without it that test fails in CI and is skipped elsewhere.
balancer:
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
	  echo "Installation de HAProxy pour le test des répliques derrière un répartiteur (apt-get)…"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -q --no-install-recommends haproxy >/dev/null 2>&1 \
	    || { $(SUDO) apt-get update -q >/dev/null 2>&1 \
	         && $(SUDO) apt-get install -y -q --no-install-recommends haproxy >/dev/null 2>&1; } \
	    || if [ -n "$$CI" ]; then echo "Échec de l'installation de HAProxy (nécessaire en CI)." >&2; exit 1; \
	       else echo "HAProxy non installé : le test des répliques derrière un répartiteur sera ignoré."; fi; \
	fi

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Regenerate requirements.lock from pyproject.toml (needs network access to PyPI).
lock:
	@test -x $(BIN)/uv || (test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install -q "uv==0.13.9")
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra llm --python-version 3.11 -o requirements.lock --quiet

clean:
	rm -rf $(VENV) .pytest_cache
