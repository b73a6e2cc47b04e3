# Every target bootstraps its own virtual environment (.venv) from the package registries.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The compiled copy of the package (tools/compile.py): what `run` serves and `bench` measures,
# and what `unit-compiled` tests. Rebuilt when any file under src is newer than it.
COMPILED := build/compiled
BUILT    := $(COMPILED)/.built-stamp
TOOLS    := $(VENV)/.compile-stamp
SOURCES  := $(shell find src -type f -not -path '*/__pycache__/*' -not -name '*.so')
# PURE=1: run and bench the package as plain Python, without compiling it.
ifeq ($(PURE),1)
SERVED  :=
ON_PATH :=
else
SERVED  := $(BUILT)
ON_PATH := PYTHONPATH=$(abspath $(COMPILED))
endif

.PHONY: setup run test lint typecheck unit unit-compiled compile bench clean

# The service needs only the runtime dependencies; tests and benchmarks add the dev ones.
$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# mypyc (with mypy) and setuptools: build tools of the compiled copy, not imported at run time.
$(TOOLS): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -e '.[compile]'
	touch $(TOOLS)

$(BUILT): $(TOOLS) $(SOURCES) tools/compile.py
	$(BIN)/python tools/compile.py $(COMPILED)
	touch $(BUILT)

setup: $(STAMP)

compile: $(BUILT)

run: $(RUNTIME) $(SERVED)
	mkdir -p var
	$(ON_PATH) $(BIN)/defa serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tools

unit: $(STAMP)
	$(BIN)/pytest

# The same tests on the compiled copy: what `run` serves behaves as the sources do.
unit-compiled: $(STAMP) $(BUILT)
	DEFA_EXPECT_COMPILED=1 PYTHONPATH=$(abspath $(COMPILED)) $(BIN)/pytest

test: lint typecheck unit unit-compiled

bench: $(STAMP) $(SERVED)
	$(ON_PATH) $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var build .mypy_cache .ruff_cache .hypothesis
