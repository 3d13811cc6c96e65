"""The recommender: interactions → implicit ALS → evaluated, versioned, served.

`recommendations.serve(member, kind, n=10)` is the one entry point for pages; see
docs/recommender.md.
"""


def serve(member, kind, n=10):
    from recommendations.serving import serve as _serve

    return _serve(member, kind, n)


def serve_visitor(request, kind, n=10):
    """For a page's request: the member's `serve()`, or a visitor's session-based list (visitors.py)."""
    from recommendations.visitors import serve_visitor as _serve_visitor

    return _serve_visitor(request, kind, n)
