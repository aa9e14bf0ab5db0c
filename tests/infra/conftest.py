"""Synthesise the CDK app once per test session and share its template.

Offline and fast: the backend is packaged without the arm64 dependency wheels (their
download is Chalice's job at `make synth`/`make deploy`, and changes only the code asset's
hash) into a temporary folder, as is chalice.out; the site is a one-page stand-in with one
inline script.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = "document.documentElement.dataset.ready = '1';"
DEV_CONTEXT = {"stage": "dev", "sender": "portal@mail.vendor.example", "supportEmail": "help@vendor.example"}
PROD_CONTEXT = {
    "stage": "prod",
    "sender": "portal@vendor.example",
    "supportEmail": "support@vendor.example",
    "domain": "portal.vendor.example",
    "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1234-4abc-9def-0123456789ab",
    "alarmEmail": "oncall@vendor.example",
    "apiRateLimit": "20",
    "apiBurstLimit": "40",
    "inviteFromSes": "true",
}
RESTORED_TABLE = "portal-dev-restored-20261123"
RESTORED_STREAM = f"arn:aws:dynamodb:eu-west-1:123456789012:table/{RESTORED_TABLE}/stream/2026-11-23T08:15:00.000"
RESTORED_CONTEXT = {**DEV_CONTEXT, "tableName": RESTORED_TABLE, "tableStreamArn": RESTORED_STREAM}


def pytest_collection_modifyitems(config, items):
    # One worker synthesises once: keep every infra test in the same xdist group.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("infra"))


@dataclass
class Synthesised:
    template: Any  # aws_cdk.assertions.Template
    json: dict[str, Any]
    path: Path
    site_dir: Path

    def resources(self, type_: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.json["Resources"].items() if v["Type"] == type_}

    def one(self, type_: str) -> dict[str, Any]:
        found = list(self.resources(type_).values())
        assert len(found) == 1, f"expected one {type_}, found {len(found)}"
        return found[0]["Properties"]


def synthesise(workdir: Path, context: dict[str, str]) -> Synthesised:
    from chalice.deploy import packager

    site_dir = workdir / "site"
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text(
        f"<!doctype html><title>Portal</title><script>{INLINE_SCRIPT}</script>"
        '<script id="__config" type="application/json">{"base": "."}</script>'
    )
    outdir = workdir / "cdk.out"
    saved_cwd, saved_env, saved_path = os.getcwd(), dict(os.environ), list(sys.path)
    cache = workdir / "deployments"
    package_filename = packager.LambdaDeploymentPackager.deployment_package_filename

    def package_in_workdir(self, project_dir: str, python_version: str) -> str:
        # Never into backend/.chalice/deployments: `make synth` would reuse a package
        # without the dependencies as if it were complete.
        return str(cache / Path(package_filename(self, project_dir, python_version)).name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packager.DependencyBuilder, "build_site_packages", lambda self, abi, requirements, target: None)
        patch.setattr(packager.LambdaDeploymentPackager, "deployment_package_filename", package_in_workdir)
        os.chdir(workdir)  # chalice.cdk writes chalice.out/ into the working directory
        try:
            from infra.aws.synth import build_app

            app = build_app(context, outdir=str(outdir), site_dir=site_dir)
            assembly = app.synth()
        finally:
            # Leave the process as it was for the other tests of this worker. (Chalice
            # imports the backend's `app` module in-process; it stays, as a second import
            # of the app would register its blueprints twice.)
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            sys.path[:] = saved_path
    stack_name = f"portal-{context['stage']}"
    path = outdir / f"{stack_name}.template.json"
    document = json.loads(path.read_text())
    from aws_cdk.assertions import Template

    assert assembly.get_stack_by_name(stack_name)
    return Synthesised(Template.from_json(document), document, path, site_dir)


@pytest.fixture(scope="session")
def dev(tmp_path_factory) -> Synthesised:
    return synthesise(tmp_path_factory.mktemp("cdk-dev"), DEV_CONTEXT)


@pytest.fixture(scope="session")
def prod(tmp_path_factory) -> Synthesised:
    return synthesise(tmp_path_factory.mktemp("cdk-prod"), PROD_CONTEXT)


@pytest.fixture(scope="session")
def restored(tmp_path_factory) -> Synthesised:
    """The dev stage switched to a table restored from a point-in-time backup."""
    return synthesise(tmp_path_factory.mktemp("cdk-restored"), RESTORED_CONTEXT)
