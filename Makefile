# Two commands a fresh machine needs: `make play` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: play test lint setup clean screenshots bench soak fuzz clinic clinic-load

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it, or run make PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

play: $(STAMP)
	$(PY) main.py play

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(PY) -m bench.run

# Long reliability runs, not part of `make test` (which runs short versions of both).
soak: $(STAMP)
	$(PY) -m soak.run --minutes 60

fuzz: $(STAMP)
	$(PY) -m soak.fuzz --frames 100000

# The clinic service on its embedded SQLite database (add a login first: see README, Clinic).
clinic: $(STAMP)
	$(PY) -m clinic serve

# 500 simulated homes syncing a day of sessions each to a real clinic server on localhost.
clinic-load: $(STAMP)
	$(PY) -m bench.clinic_load --homes 500

screenshots: $(STAMP)
	$(PY) tools/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
