from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from members.loyalty.programme import ensure_programme

        # The seeded tiers must exist (every member points at the base tier); see programme.py.
        post_migrate.connect(ensure_programme, sender=self, dispatch_uid="members.ensure_programme")
        from members.privacy import audit  # noqa: F401 - connects the ledger-adjustment audit receiver
        from members import sign_ins  # noqa: F401 - records sign-ins (members/sign_ins.py)
