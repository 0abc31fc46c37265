# The two commands the README gives. Both install what they need first; a second run
# reinstalls only when pyproject.toml changed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test manage chromium clean

run: $(STAMP)
	$(PY) -m factdesk.launcher run

test: $(STAMP) chromium
	$(PY) -m factdesk.launcher test $(ARGS)

# make manage ARGS="createsuperuser"
manage: $(STAMP)
	$(PY) -m factdesk.launcher manage $(ARGS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium; install it when it is missing and we can.
chromium:
	@test -x /usr/bin/chromium || scripts/install-chromium

clean:
	rm -rf $(VENV) var
