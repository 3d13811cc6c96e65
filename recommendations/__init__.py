"""The recommender: interactions → implicit ALS → evaluated, versioned, served.

`recommendations.serve(member, kind, n=10)` is the one entry point for pages; see
docs/recommender.md.
"""


def serve(member, kind, n=10):
    from recommendations.serving import serve as _serve

    return _serve(member, kind, n)
