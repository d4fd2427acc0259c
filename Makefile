# The two set-up commands of the README: `make run` and `make test`. Each creates .venv
# (with persona-lint installed in editable mode and its dev tools) when it is missing.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fast-test docs clean bytecode

# PYTHONWARNINGS silences setuptools' "Editable installation" notice box, which the mapping
# of schemas/ into the package triggers on every editable install.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# An editable install has no bytecode, and PYTHONDONTWRITEBYTECODE (set on some machines)
# keeps Python from writing it: every run would compile persona-lint again (~40 ms).
bytecode:
	$(BIN)/python -m compileall -q persona_lint

run: $(STAMP) bytecode
	$(BIN)/persona-lint personas/

# The suite runs on every core (pytest-xdist). loadgroup keeps the tests of one
# xdist_group (those sharing an expensive module fixture) on one worker.
PARALLEL := -n auto --dist loadgroup
# Under PYTHONDONTWRITEBYTECODE pytest rewrites the asserts of every test module again in
# each worker (about 5 s of CPU a worker, measured), and each persona-lint the tests start
# compiles the package again: the suite keeps bytecode, as `make run` does.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest $(PARALLEL)

test: $(STAMP) bytecode
	$(PYTEST)

# The edit loop: no test marked slow, and property tests draw a tenth of their examples
# (the edit-loop hypothesis profile, tests/conftest.py); `make test` runs everything.
fast-test: $(STAMP) bytecode
	$(PYTEST) -m "not slow" --hypothesis-profile=edit-loop

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m persona_lint.rules.docs > docs/rules.md
	$(BIN)/python -m persona_lint.config.readme README.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .persona_lint_cache
