"""The loyalty managers' dashboard in the Wagtail admin (docs/loyalty.md, "Managers' dashboard").

`panels.py` holds the members app's own panels; other apps contribute theirs through
the Wagtail hook `register_manager_dashboard_panel` (see `panels.Panel` for the
contract), so members never imports offers or recommendations. `charts.py` draws the
charts as SVG on the server: no JavaScript, no CDN.
"""
