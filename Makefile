# Every target sets itself up: a fresh machine needs nothing but python3 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dev test lint bench synth checkov deploy docs chromium npm clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "pip==26.2.1"  # chalice needs pip < 26.3
	$(PY) -m pip install --quiet -c constraints.txt ".[dev,infra]"
	@# The venv knows the project's two source roots (as an editable install would): backend/ (the
	@# Chalice project: app, chalicelib) and the repository (infra, bench, tests). No sys.path edits.
	printf '%s\n%s\n' "$(CURDIR)/backend" "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/customer-portal.pth"
	touch $(STAMP)

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Node.js and npm for the widgets' checker (and the cdk CLI): Debian's, when the machine has none.
npm:
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm for the widgets' checker..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }

# The widgets' checker (TypeScript) and the bundle's minifier (esbuild), pinned in package.json /
# package-lock.json, in node_modules/; the site build (make dev, make docs) minifies with esbuild.
TSC := node_modules/.bin/tsc
$(TSC): package.json package-lock.json
	$(MAKE) --no-print-directory npm
	npm ci --no-fund --no-audit --loglevel=error
	touch $(TSC)

## make lint: ruff (lint and format), mypy, and TypeScript over the widgets' JavaScript
lint: $(STAMP) $(TSC)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	npm run --silent lint

## make dev: run the portal on this machine (site + API on http://127.0.0.1:8000/)
dev: $(STAMP) $(TSC)
	$(PY) -m infra.local

## make test: the checks of make lint, then every test, browser tests included
test: lint chromium
	$(PY) -m pytest -n 2 --dist loadgroup

## make bench: the benchmark figures (Lighthouse from node_modules, on Debian's chromium)
bench: $(STAMP) $(TSC) chromium
	$(PY) -m bench

docs: $(STAMP) $(TSC)
	$(VENV)/bin/mkdocs build --strict

## make synth: the AWS stack's CloudFormation template in infra/aws/cdk.out (offline, no credentials)
##   e.g. make synth CONTEXT="-c stage=prod -c domain=portal.vendor.example -c certificateArn=arn:..."
synth: docs
	cd infra/aws && ../../$(PY) -P app.py $(CONTEXT)

# checkov in a venv of its own: its pins (boto3, networkx, packaging) clash with the project's.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.installed: infra/aws/checkov-requirements.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r infra/aws/checkov-requirements.txt
	touch $@

## make checkov: checkov over the templates of the last make synth; fails on a finding not accepted
##   in infra/aws/checkov.yaml (cdk-nag runs inside every synthesis; see docs/install/aws.md)
checkov: $(CHECKOV_VENV)/.installed
	$(CHECKOV_VENV)/bin/checkov --config-file infra/aws/checkov.yaml $(addprefix -f ,$(wildcard infra/aws/cdk.out/*.template.json))

# The cdk CLI from npm, pinned in infra/aws/package.json, installed into infra/aws/node_modules.
CDK := infra/aws/node_modules/.bin/cdk
$(CDK): infra/aws/package.json
	$(MAKE) --no-print-directory npm
	cd infra/aws && npm install --no-fund --no-audit --loglevel=error
	touch $(CDK)

## make deploy: deploy the stage in infra/aws/cdk.json to AWS (needs AWS credentials)
##   e.g. make deploy CONTEXT="-c stage=prod"
deploy: docs $(CDK)
	cd infra/aws && node_modules/.bin/cdk deploy --require-approval broadening $(CONTEXT)

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) site .local-stack node_modules
