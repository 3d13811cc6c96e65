"""Segments: named audiences an editor builds from rules combined with *all* or *any*.

Rules are rows with a `kind`; `rules.RULES` maps each kind to the class that evaluates it
(django-oscar's `proxy_map`, imported directly). Two sorts of rule:

- **member rules** (tier, home airport, interests, near the next tier, a trip soon, visit
  count, signed in) answer with a `Q` on `Member`, so one query gives a segment's size for
  the admin and the same query, narrowed to one member, answers "is this member in it?"
  per request: the two can never disagree;
- **visit rules** (device, UTM campaign, referrer) read the request, through a `Visit`
  (`offers/segments/visit.py`): they are evaluated per request only, and a segment with
  one has no exact size (the admin says "per visit").

A *static* segment is a stored member list (frozen from a dynamic one, or imported by
member numbers); its rules are not used.
"""
