"""cfn-lint passes on the synthesised templates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# W3005 (a DependsOn next to a GetAtt on the same resource) is emitted for the providers of
# CDK's own custom resources (bucket deployment, auto-delete); harmless and not ours to change.
IGNORED = ["W3005"]


def _lint(synthesised) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), "--ignore-checks", *IGNORED, "--", str(synthesised.path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cfn_lint_passes_on_the_dev_template(dev):
    result = _lint(dev)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_passes_on_the_prod_template(prod):
    result = _lint(prod)
    assert result.returncode == 0, result.stdout + result.stderr
