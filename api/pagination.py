"""limit/offset pagination with a ceiling: `?limit=20&offset=40` → {count, limit, offset, items}."""

from ninja import Field, Schema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1–{MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class Page(Schema):
    count: int
    limit: int
    offset: int


def paginate(items, query: PageQuery):
    """A page of a list or QuerySet (a QuerySet is counted and sliced in the database)."""
    count = items.count() if hasattr(items, "model") else len(items)
    return {"count": count, "limit": query.limit, "offset": query.offset,
            "items": list(items[query.offset:query.offset + query.limit])}
