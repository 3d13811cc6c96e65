"""The API object: version 1, mounted at /api/v1/ (portal/urls.py → api/urls.py).

The OpenAPI document is /api/v1/openapi.json; the interactive docs (Swagger UI) are
/api/v1/docs, served from django-ninja's own static files (no CDN: `ninja` is in
INSTALLED_APPS, which is what makes ninja use its bundled assets).
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from api import errors
from api.routers import agent, channel, flights, members, offers, trips
from api.throttling import RateLimit

DESCRIPTION = """\
Wayfare's API for members and for the airline's other channels. See docs/api.md.

**Authentication**: a member signed in to the site (session cookie; unsafe methods need the
`csrftoken` cookie's value in `X-CSRFToken`), or `Authorization: Bearer <token>` with a token
made by `manage.py create_api_token`. Scopes: `member` (acts as the token's member),
`channel:ingest`, `agent:lookup`.

**Errors** are `{"detail": "…", "errors": [{"field": "…", "message": "…"}]}`: 401 no or bad
credentials, 403 missing scope or CSRF, 404 not found (also another member's trip), 409 a
conflict (an offer sold out or already claimed), 422 invalid input, 429 rate limit (see
`Retry-After`).

**Lists** take `limit` (1–100, default 20) and `offset`, and answer `{count, limit, offset, items}`.
"""

api = NinjaAPI(
    title="Wayfare API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": True}),
    throttle=[RateLimit()],
)
errors.install(api)

api.add_router("", members.router)
api.add_router("", offers.router)
api.add_router("", trips.router)
api.add_router("", flights.router)
api.add_router("", channel.router)
api.add_router("", agent.router)
