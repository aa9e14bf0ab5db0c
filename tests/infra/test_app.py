"""The CDK app's entry points: context from cdk.json and the command line, clear refusals."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from tests.infra.conftest import DEV_CONTEXT
from tests.support import ROOT
from tests.support.modules import load_module


def _app_module() -> ModuleType:
    return load_module("portal_cdk_app", ROOT / "infra" / "aws" / "app.py")


def test_direct_run_reads_cdk_json_and_lets_the_command_line_override_it():
    context = _app_module()._direct_run_context(["-c", "stage=prod", "--context", "domain=portal.vendor.example"])
    defaults = json.loads((ROOT / "infra" / "aws" / "cdk.json").read_text())["context"]
    assert context["stage"] == "prod" and context["domain"] == "portal.vendor.example"
    assert context["sender"] == defaults["sender"]


def test_cdk_json_names_a_complete_stage():
    from infra.aws.stacks.settings import StageSettings

    context = json.loads((ROOT / "infra" / "aws" / "cdk.json").read_text())["context"]
    assert StageSettings.from_context(context.get).stage in ("dev", "prod")


def test_synthesis_refuses_an_unbuilt_site(tmp_path):
    from infra.aws.synth import build_app

    with pytest.raises(ValueError, match="site is not built"):
        build_app(DEV_CONTEXT, outdir=str(tmp_path / "out"), site_dir=tmp_path / "no-site")


def test_synthesis_refuses_incomplete_context(tmp_path):
    from infra.aws.synth import build_app

    with pytest.raises(ValueError, match="'supportEmail' is required"):
        build_app({"stage": "dev", "sender": "portal@vendor.example"}, outdir=str(tmp_path / "out"))
