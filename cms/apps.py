from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")

    def ready(self):
        # The fragment cache's invalidation receivers: every process that saves or publishes must bump versions,
        # not only one that has rendered a dashboard.
        from cms import fragments  # noqa: F401
