from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from members.models import ActivityEvent
        from recommendations.freshness import on_activity_recorded
        from recommendations.visitors import on_sign_in

        # New activity → the member's list is refreshed within seconds (freshness.py).
        post_save.connect(on_activity_recorded, sender=ActivityEvent, dispatch_uid="recommendations.freshness")
        # Sign-in → the visitor's session activity joins their history (visitors.py). allauth signs
        # members in through django.contrib.auth.login, which sends this signal.
        user_logged_in.connect(on_sign_in, dispatch_uid="recommendations.visitors.sign_in")
        # Consent and dismissals cached per member for serve(), dropped when they change (member_state.py).
        from recommendations.member_state import connect

        connect()
