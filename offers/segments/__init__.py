"""Segments: named audiences an editor builds from rules combined with *all* or *any*.

Rules are rows with a `kind`; `rules.RULES` maps each kind to the class that evaluates it
(django-oscar's `proxy_map`, imported directly). Every evaluator answers with a `Q` on
`Member`, so one query gives a segment's size for the admin and the same query, narrowed
to one member, answers "is this member in it?" per request: the two can never disagree.
"""
