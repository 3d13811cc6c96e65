"""Wayfare's REST API at /api/v1/ (django-ninja): members' own data and the other channels.

See docs/api.md. An edge app, like `portal`: it calls the services and selectors of
`members`, `offers` and `recommendations` and owns only its tokens.
"""
