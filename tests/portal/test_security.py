"""Production settings pass Django's deploy checks; member pages carry a strict CSP."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_checks(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=secrets.token_urlsafe(64)[:50],
        ALLOWED_HOSTS="example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "no issues" in output


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(DJANGO_ENV="production", ALLOWED_HOSTS="example.com", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def script_sources(response):
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    return directives


@pytest.mark.django_db
def test_member_page_has_a_csp_without_inline_script(member_client):
    response = member_client.get("/me/profile/")

    assert response.status_code == 200
    directives = script_sources(response)
    assert "'unsafe-inline'" not in directives.get("script-src", directives.get("default-src"))
    assert "'unsafe-eval'" not in directives.get("script-src", [])
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])


@pytest.mark.django_db
def test_log_in_page_has_a_csp_without_inline_script(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "'unsafe-inline'" not in script_sources(response).get("script-src", [])
