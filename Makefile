# Two commands: `make lab` (JupyterLab on the notebooks) and `make test` (the whole suite).
# Both create .venv on first use and reinstall when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# On a machine without a display there is no browser to open: just print the URL. Token auth stays on;
# Jupyter refuses to run as root unless told, which containers and CI machines need.
LAB_ARGS ?= $(if $(DISPLAY),,--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install bench clean notebooks validate

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU build of torch first, so camel-tools never pulls the multi-GB CUDA build.
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	mkdir -p notebooks
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

test: $(STAMP)
	$(PY) -m pytest

# Re-run the notebooks and store their outputs (what nbval then compares); exports go to a scratch folder.
notebooks: $(STAMP)
	KIT_REPORTS=$$(mktemp -d) $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.store_widget_state=False notebooks/*.ipynb

# Quality on the validation corpus (tests/validation): dev and test splits, 95 % bootstrap intervals;
# every disagreement goes to reports/validation/errors-*.csv.
validate: $(STAMP)
	$(PY) -m kit validate tests/validation

bench: $(STAMP)
	$(PY) benchmarks/bench_annotate.py --articles 100000 --workers 2
	$(PY) benchmarks/bench_giant.py --sizes 20 200 --at-limit

clean:
	rm -rf $(VENV) .pytest_cache reports/.tmp
