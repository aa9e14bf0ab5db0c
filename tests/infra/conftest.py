"""Synthesise the CDK app once per test session and share its template.

Offline and fast: the backend is packaged from a copy (Chalice's deployment cache and
chalice.out land in a temporary folder), without the arm64 dependency wheels (their
download is Chalice's job at `make synth`/`make deploy`, and changes only the code asset's
hash), and the site is a one-page stand-in with one inline script.
"""
from __future__ import annotations

import json
import os
import shutil
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
}


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


def _copy_backend(target: Path) -> Path:
    backend = ROOT / "backend"
    target.mkdir(parents=True)
    shutil.copy2(backend / "app.py", target / "app.py")
    shutil.copy2(backend / "requirements.txt", target / "requirements.txt")
    shutil.copytree(backend / "chalicelib", target / "chalicelib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (target / ".chalice").mkdir()
    shutil.copy2(backend / ".chalice" / "config.json", target / ".chalice" / "config.json")
    return target


def synthesise(workdir: Path, context: dict[str, str]) -> Synthesised:
    from chalice.deploy import packager

    site_dir = workdir / "site"
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text(
        f"<!doctype html><title>Portal</title><script>{INLINE_SCRIPT}</script>"
        '<script id="__config" type="application/json">{"base": "."}</script>')
    backend_dir = _copy_backend(workdir / "backend")
    outdir = workdir / "cdk.out"
    saved_cwd, saved_env, saved_path = os.getcwd(), dict(os.environ), list(sys.path)
    saved_modules = set(sys.modules)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packager.DependencyBuilder, "build_site_packages",
                      lambda self, abi, requirements, target: None)
        os.chdir(workdir)  # chalice.cdk writes chalice.out/ into the working directory
        try:
            from infra.aws.synth import build_app

            app = build_app(context, outdir=str(outdir), backend_dir=backend_dir, site_dir=site_dir)
            assembly = app.synth()
        finally:
            # Leave the process as it was: other tests in this worker import the real backend.
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            sys.path[:] = saved_path
            for name in set(sys.modules) - saved_modules:
                if str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(workdir)):
                    del sys.modules[name]
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
