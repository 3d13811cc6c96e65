"""The interactive docs come from our own static files under the strict CSP; errors are always JSON.

That Swagger UI really runs under the CSP is checked in Chromium: tests/browser/test_api_docs.py.
"""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Wayfare API"
    assert "/api/v1/channel/activity" in document["paths"]


def test_docs_load_swagger_from_our_static_files_not_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html and 'href="/static/ninja/swagger-ui.css"' in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]  # the docs keep the member pages' policy
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_a_body_that_is_not_json_is_400(member_api):
    response = member_api.client.post("/api/v1/trips", "{not json", content_type="application/json",
                                      headers={"Authorization": f"Bearer {member_api.token}"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot parse request body"


def test_an_unexpected_error_is_a_json_500_and_logged(member_api, monkeypatch, caplog):
    import api.routers.members

    def broken(member):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.routers.members, "tier_status", broken)
    response = member_api.get("/api/v1/me")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; it has been logged.", "errors": []}
    assert "unexpected error on GET /api/v1/me" in caplog.text


def test_a_cache_outage_is_503_with_retry_after(member_api, monkeypatch):
    import api.routers.members
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(member):
        raise RedisConnectionError("gone")

    monkeypatch.setattr(api.routers.members, "tier_status", down)
    response = member_api.get("/api/v1/me")
    assert response.status_code == 503 and response["Retry-After"] == "30"
