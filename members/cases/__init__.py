"""Online customer service: a member opens a case, staff answer it in the admin (docs/member-portal.md).

- `models`: `ServiceCase` and its thread of `CaseMessage`s (registered in the members app).
- `services`: open, reply (member or staff), close; the member is e-mailed when staff answer.
- `views`, `urls`: /me/cases/ for the member; `admin`: the Wagtail "Customer service" screens.
"""
