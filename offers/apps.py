from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = _("Flights and offers")

    def ready(self):
        from offers import value_sources

        value_sources.register()  # the claims' cost in members' customer value
