"""Who may call what: sessions with CSRF, tokens with scopes, hashed secrets, rate limits."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken, Scope
from tests.api.conftest import ApiClient


def test_no_credentials_is_401_with_a_reason_and_www_authenticate(anonymous_api):
    response = anonymous_api.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"].startswith("Sign in, or send a token")
    assert response.json()["errors"] == []


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/offers", "/api/v1/trips", "/api/v1/recommendations/route",
                                  "/api/v1/agent/members/ABC2345"])
def test_every_protected_read_refuses_anonymous_callers(anonymous_api, path):
    assert anonymous_api.get(path).status_code == 401


def test_unknown_token_is_401(db):
    response = ApiClient("wf_deadbeef_not-a-real-token").get("/api/v1/me")
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_revoked_and_expired_tokens_are_401(member, issue_token):
    revoked = issue_token(Scope.MEMBER, member=member)
    expired = issue_token(Scope.MEMBER, member=member, expires_at=timezone.now() - dt.timedelta(seconds=1))
    ApiToken.objects.filter(member=member).exclude(expires_at__isnull=False).update(revoked_at=timezone.now())
    assert ApiClient(revoked).get("/api/v1/me").status_code == 401
    assert ApiClient(expired).get("/api/v1/me").status_code == 401


def test_a_token_of_a_deactivated_member_is_401(member, member_api):
    member.is_active = False
    member.save()
    assert member_api.get("/api/v1/me").status_code == 401


def test_member_token_reads_its_members_profile(member_api, member):
    response = member_api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["member_number"] == member.member_number


@pytest.mark.parametrize(("fixture", "method", "path"), [
    ("ingest_api", "get", "/api/v1/me"),  # a service token is nobody's profile
    ("agent_api", "get", "/api/v1/trips"),
    ("member_api", "post", "/api/v1/channel/activity"),
    ("agent_api", "post", "/api/v1/channel/activity"),
    ("member_api", "get", "/api/v1/agent/members/ABC2345"),
    ("ingest_api", "get", "/api/v1/agent/members/ABC2345"),
])
def test_a_token_without_the_scope_is_403(request, fixture, method, path):
    api = request.getfixturevalue(fixture)
    response = getattr(api, method)(path)
    assert response.status_code == 403
    assert "scope" in response.json()["detail"]


def test_secrets_are_stored_only_as_digests(member, issue_token):
    secret = issue_token(Scope.MEMBER, member=member)
    row = ApiToken.objects.get(member=member)
    assert secret.startswith(row.prefix + "_")
    assert secret not in {row.secret_digest, row.prefix, row.name}
    assert len(row.secret_digest) == 64


def test_last_used_is_recorded(member, member_api):
    member_api.get("/api/v1/me")
    assert ApiToken.objects.get(member=member).last_used_at is not None


def test_session_member_reads_without_a_token(member_client):
    response = member_client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.com"


def test_session_writes_need_the_csrf_token(member, jfk_lax, in_a_week):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    body = {"outbound_flight_id": jfk_lax["out"].pk, "outbound_date": in_a_week.isoformat()}
    refused = browser.post("/api/v1/trips", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    browser.get("/api/v1/me")  # a signed-in GET hands out the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/trips", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.json()


def test_a_token_needs_no_csrf_even_beside_a_session_cookie(member, jfk_lax, in_a_week, issue_token):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    api = ApiClient(issue_token(Scope.MEMBER, member=member), client=browser)
    response = api.post("/api/v1/trips", {"outbound_flight_id": jfk_lax["out"].pk, "outbound_date": in_a_week.isoformat()})
    assert response.status_code == 201


# --- rate limits -----------------------------------------------------------------------------


def test_over_the_tokens_limit_is_429_with_retry_after(member, issue_token):
    api = ApiClient(issue_token(Scope.MEMBER, member=member, rate_limit="3/m"))
    assert [api.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/me")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests")


def test_limits_are_per_token(member, issue_token):
    busy = ApiClient(issue_token(Scope.MEMBER, member=member, rate_limit="1/m"))
    calm = ApiClient(issue_token(Scope.MEMBER, member=member, rate_limit="1/m"))
    assert busy.get("/api/v1/me").status_code == 200
    assert busy.get("/api/v1/me").status_code == 429
    assert calm.get("/api/v1/me").status_code == 200


def test_session_callers_have_the_default_limit(member_client, settings):
    settings.API_RATE_LIMIT = "2/m"
    assert [member_client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]


def test_the_window_opens_again(member, issue_token, monkeypatch):
    import api.throttling

    now = [1_000_000.0]
    monkeypatch.setattr(api.throttling, "clock", lambda: now[0])
    client = ApiClient(issue_token(Scope.MEMBER, member=member, rate_limit="1/m"))
    assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/me")
    assert refused.status_code == 429 and refused["Retry-After"] == "20"  # 1,000,000 s is 40 s into its minute
    now[0] += 21
    assert client.get("/api/v1/me").status_code == 200


def test_when_the_cache_fails_requests_are_served(member_api, monkeypatch):
    import api.throttling

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(api.throttling.cache, "incr", broken)
    assert member_api.get("/api/v1/me").status_code == 200


# --- the management command ------------------------------------------------------------------


def test_create_api_token_prints_a_working_token_once(member):
    out = io.StringIO()
    call_command("create_api_token", "--name", "Ada's script", "--member", member.member_number, "--scope", "member",
                 stdout=out)
    secret = next(line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("wf_"))
    assert ApiClient(secret).get("/api/v1/me").status_code == 200
    assert not ApiToken.objects.filter(secret_digest=secret).exists()


def test_create_api_token_makes_service_tokens_with_a_rate(db):
    out = io.StringIO()
    call_command("create_api_token", "--name", "Call centre", "--scope", "agent:lookup", "--scope", "channel:ingest",
                 "--rate-limit", "600/m", stdout=out)
    row = ApiToken.objects.get(name="Call centre")
    assert row.member is None and row.scopes == ["agent:lookup", "channel:ingest"] and row.rate_limit == "600/m"


def test_create_api_token_refuses_a_member_scope_without_a_member(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="member"):
        call_command("create_api_token", "--name", "x", "--scope", "member", stdout=io.StringIO())


def test_revoke(member, issue_token):
    secret = issue_token(Scope.MEMBER, member=member)
    prefix = ApiToken.objects.get(member=member).prefix
    call_command("create_api_token", "--revoke", prefix, stdout=io.StringIO())
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
