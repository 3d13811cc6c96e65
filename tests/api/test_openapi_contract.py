"""The OpenAPI document and the server agree: schemathesis generates requests for every
operation from /api/v1/openapi.json and checks that no answer is a 5xx and that each
status, content type and body is one the document declares.

Deterministic (derandomized Hypothesis, no example database) and small: at most
MAX_EXAMPLES cases per operation, valid and invalid ones. Requests go to Django through
WSGI in this process, so they see this test's rows (a member, a trip, an offer) and its
token, which has every scope and a high rate limit.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken, Scope
from api.v1 import api
from offers.models import Offer

MAX_EXAMPLES = 20


# The document as the API builds it (the same one /api/v1/openapi.json serves; see
# test_the_served_document_is_the_one_tested). schemathesis's lazy `from_fixture` loader
# does not run under pytest 9 (it sets Node._nodeid), so the schema is built at import,
# which needs no database, and requests go to Django's WSGI application in this process.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@pytest.fixture
def keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request (the test
    transaction with it); Django's own test client turns that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def every_scope_token(member, jfk_lax, keep_the_test_connection):
    Offer.objects.create(title="Miami weekend", slug="miami-weekend", summary="Double miles", category="miles_bonus", live=True)
    _row, secret = ApiToken.issue(name="contract", scopes=Scope.values, member=member, rate_limit="100000/m")
    return secret


def test_the_served_document_is_the_one_tested(client):
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
    assert set(served["paths"]) == {p for p in schema.raw_schema["paths"]}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_contract(case, every_scope_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {every_scope_token}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
