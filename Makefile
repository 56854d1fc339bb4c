# The project's own virtual environment, built from Python 3.10 (Rasa 3.6 runs on 3.8-3.10 only).
PYTHON310 ?= $(or $(shell ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -n 1),$(shell command -v python3.10 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The widget's browser tests drive Debian's Chromium (Playwright never downloads a browser here).
CHROMIUM := /usr/bin/chromium

.PHONY: run test install clean

# Set up everything and run the guide.
run: $(INSTALLED)
	$(BIN)/rightsguide train
	$(BIN)/rightsguide serve --credentials credentials-dev.yml

# Set up everything and run every test (the model is trained first: the server tests talk to it;
# PostgreSQL and Redis are found running, or started, for the replica tests).
test: $(INSTALLED) $(CHROMIUM)
	sh deploy/services-up.sh
	$(BIN)/rightsguide train
	$(BIN)/python -m pytest

install: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found: install it with pyenv (pyenv install 3.10) or set PYTHON310=/path/to/python3.10" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

$(CHROMIUM):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

clean:
	rm -rf $(VENV) build *.egg-info
