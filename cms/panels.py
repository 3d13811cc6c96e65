"""The page editor's translation notice: which languages a page lacks, and what their readers get instead."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    """Tells the editor, per content language, whether the page has a live translation; readers of a missing
    or unpublished one get the English page (cms/localization.py)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Translations"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "translations"

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/translation_status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            from cms.localization import default_locale, translation_status

            context = super().get_context_data(parent_context)
            page = self.instance
            default = default_locale()
            context["is_translation"] = page.locale_id != default.pk
            context["language"] = page.locale.get_display_name()
            context["english"] = page.get_translation_or_none(default) if context["is_translation"] else None
            context["default_language"] = default.get_display_name()
            context["others"] = [] if context["is_translation"] else [
                {"language": locale.get_display_name(), "page": translation} for locale, translation in translation_status(page)]
            return context
