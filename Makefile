# Every target bootstraps its own virtual environment (.venv) from the package registries.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
# The compiled copy of the package (tools/compile.py): what `run` serves and `bench` measures,
# and what `unit-compiled` tests. Rebuilt when a file or folder under src (a folder changes
# when a file is added or removed) is newer than it.
COMPILED := build/compiled
BUILT    := $(COMPILED)/.built-stamp
TOOLS    := $(VENV)/.compile-stamp
SOURCES  := $(shell find src -not -path '*/__pycache__*' -not -name '*.so')
ON_PATH  := PYTHONPATH=$(abspath $(COMPILED))
# `run` and `bench` use the copy, compiled first if needed; if the compile fails (no C
# compiler, say) they say so and use the sources, which behave the same, only slower (the
# copy is whole or absent). PURE=1: use the sources without compiling.
ifeq ($(PURE),1)
USE_COPY := true
ON_PATH  :=
else
USE_COPY := $(MAKE) --no-print-directory compile || echo "*** the compile failed (above): \
using the sources as plain Python, slower; \`make compile\` to retry ***"
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

run: $(RUNTIME)
	@$(USE_COPY)
	mkdir -p var
	$(ON_PATH) $(BIN)/defa serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

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

bench: $(STAMP)
	@$(USE_COPY)
	$(ON_PATH) $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var build .mypy_cache .ruff_cache .hypothesis
