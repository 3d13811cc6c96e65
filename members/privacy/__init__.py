"""Members' personal data under the data-protection law: consent, export, erasure, retention, audit.

- `consent`: versioned consent per purpose (personalization, marketing e-mail, analytics);
  the current state is the latest record per purpose. `members_allowing_personalization`
  is the recommender's `RECOMMENDER_CONSENT_FILTER`.
- `export`: everything held about a member, as one JSON document.
- `erasure`: deleting an account in one transaction, aggregates kept unlinkable.
- `retention`: raw activity older than `PRIVACY_ACTIVITY_RETENTION_DAYS` is purged.
- `audit`: staff reads and changes of member data, who and when.

Field-by-field documentation: docs/privacy.md.
"""
