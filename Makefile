# Two entry points (README): `make up` runs the embedded default, `make test` the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: up test install bench clean

# pip keeps its download cache (~/.cache/pip) between runs on the same machine.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

up: $(STAMP)
	$(VENV)/bin/lurewatch up

test: $(STAMP)
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var
