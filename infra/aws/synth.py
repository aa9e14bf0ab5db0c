"""Build the CDK app object: shared by ``app.py`` (the cdk CLI) and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BACKEND_DIR = ROOT / "backend"
SITE_DIR = ROOT / "site"

# Offline synthesis: jsii runs on whatever Node.js is installed without nagging, and Chalice
# needs a region name to build the API's service principal (no call is made).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
if not (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")):
    os.environ["AWS_DEFAULT_REGION"] = os.environ.get("CDK_DEFAULT_REGION", "us-east-1")

import aws_cdk as cdk  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.aws.stacks import PortalStack, StageSettings  # noqa: E402
from infra.aws.stacks.backend import RUNTIME  # noqa: E402


def _check_python() -> None:
    # Chalice builds the dependency wheels for the Python that runs it: it must be the runtime's.
    running = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if running != RUNTIME:
        raise ValueError(
            f"Synthesise with {RUNTIME} (the Lambda runtime), not {running}: use the project's .venv (make synth)."
        )


def build_app(
    context: dict[str, Any] | None = None,
    *,
    outdir: str | None = None,
    backend_dir: Path = BACKEND_DIR,
    site_dir: Path = SITE_DIR,
) -> cdk.App:
    """The app with its stage's stack. ``context`` adds to cdk.json's (tests pass it)."""
    _check_python()
    app = cdk.App(context=context, outdir=outdir)
    # Validation reports (cdk-nag's, below) are also written as policy-validation-report.json.
    app.node.set_context("@aws-cdk/core:validationReportJson", True)
    settings = StageSettings.from_context(app.node.try_get_context)
    if not (site_dir / "index.html").is_file():
        raise ValueError(
            f"The site is not built ({site_dir}/index.html is missing): run `make docs` (make synth does it for you)."
        )
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = os.environ.get("CDK_DEFAULT_REGION")
    env = cdk.Environment(account=account, region=region) if account and region else None
    PortalStack(app, settings, backend_dir=backend_dir, site_dir=site_dir, env=env)
    # cdk-nag's AwsSolutions rules: synthesis fails on a finding that is neither fixed nor
    # acknowledged with its reason (stacks/accepted_risks.py).
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app
