"""The admin CLI drives the running local stack through the same use cases as the API."""

import subprocess

import pytest

from tests.support import ROOT

pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("stack")]


def portal(local_stack, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "bin" / "portal"), "--state-dir", str(local_stack.state_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_creates_an_organisation_and_invites_a_user_who_can_then_sign_in(local_stack):
    created = portal(local_stack, "org", "create", "initech", "Initech")
    assert created.returncode == 0, created.stderr
    assert "initech" in portal(local_stack, "org", "list").stdout

    invited = portal(local_stack, "user", "invite", "peter@initech.example", "--org", "initech")
    assert invited.returncode == 0, invited.stderr
    assert "peter@initech.example" in portal(local_stack, "user", "list", "--org", "initech").stdout


def test_cli_refuses_an_unknown_organisation_with_a_clear_message(local_stack):
    result = portal(local_stack, "user", "invite", "x@nowhere.example", "--org", "nowhere")
    assert result.returncode == 1
    assert "no organisation 'nowhere'" in result.stderr


def test_cli_refuses_a_duplicate_organisation(local_stack):
    result = portal(local_stack, "org", "create", "acme", "Acme again")
    assert result.returncode == 1
    assert "exists already" in result.stderr


def test_cli_takes_the_stack_options_after_the_command_too(local_stack):
    result = subprocess.run(
        [str(ROOT / "bin" / "portal"), "org", "list", "--state-dir", str(local_stack.state_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "acme" in result.stdout
