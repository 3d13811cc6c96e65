"""Recommender quality for loyalty managers: every model version against its baselines."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from recommendations.models import ModelVersion


class MetricColumn(Column):
    """NDCG@10 of one strategy in a version's evaluation, as a number a manager can compare."""

    def __init__(self, strategy, label):
        super().__init__(f"ndcg_{strategy}", label=label)
        self.strategy = strategy

    def get_value(self, instance):
        value = instance.ndcg(self.strategy)
        return "—" if value is None else f"{value:.4f}"


class ModelVersionViewSet(ModelViewSet):
    model = ModelVersion
    icon = "pick"
    menu_label = _("Recommender versions")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["__str__", "status", "is_active", "serving", MetricColumn("als", _("NDCG@10 ALS")),
                    MetricColumn("blend", _("NDCG@10 blend")), MetricColumn("history", _("NDCG@10 own history")),
                    MetricColumn("popularity", _("NDCG@10 most popular")), "duration_seconds", "note"]
    list_filter = ["status", "is_active"]
    inspect_view_enabled = True
    inspect_view_fields = ["created_at", "finished_at", "status", "is_active", "serving", "parameters", "data_counts",
                           "metrics", "tuning", "duration_seconds", "note"]
    form_fields = ["note"]  # versions are made by training; only the note is editable


@hooks.register("register_admin_viewset")
def register_model_versions():
    return ModelVersionViewSet("recommender_versions")


@hooks.register("register_manager_dashboard_panel")
def register_offer_performance_panel(request):
    from recommendations.dashboard_panels import offer_performance

    return offer_performance(request)


@hooks.register("register_manager_dashboard_panel")
def register_model_quality_panel(request):
    from recommendations.dashboard_panels import model_quality

    return model_quality(request)
