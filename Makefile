# Two entry points (README): `make up` runs the embedded default, `make test` the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip -q --disable-pip-version-check
# torch on PyPI is a ~3 GB CUDA build: keep its wheels between runs on this machine.
WHEELS ?= $(HOME)/.cache/lurewatch/wheels
TRANSFORMER_REQS := "torch>=2.4" "transformers>=5,<6"

.PHONY: up test install install-test system-deps engines bench clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	mkdir -p $(WHEELS)
	$(PIP) download -d $(WHEELS) $(TRANSFORMER_REQS)
	$(PIP) install --no-index --find-links $(WHEELS) $(TRANSFORMER_REQS)
	$(PIP) install -e '.[test,transformer]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

up: $(VENV)/.installed
	$(VENV)/bin/lurewatch up

system-deps:
	bash .ci/system-deps.sh

# Real OpenSearch / Elasticsearch nodes in one JVM, built from Maven Central (needs JDK 21+ and mvn).
engines:
	bash tests/engines/build.sh

test: system-deps $(VENV)/.installed-test engines
	$(VENV)/bin/pytest

# `make bench` runs them all (~40 min); `make bench BENCH="classifier search 100000"` a few.
bench: $(VENV)/.installed-test engines
	$(PY) -m bench $(BENCH)

clean:
	rm -rf $(VENV) var
