"""StreamField blocks editors compose pages from, around one shared base stream.

Images carry alt text unless the editor marks them decorative, and headings are h2/h3
only (the page title is the h1), so what editors build keeps the page accessible.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", _("Section heading (h2)")), ("h3", _("Sub-heading (h3)"))], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), required=False, max_length=200,
                                help_text=_("What the image shows, for people who cannot see it."))
    decorative = blocks.BooleanBlock(label=_("Decorative only (no alternative text needed)"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("alt_text") and not value.get("decorative"):
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Describe the image, or mark it as decorative."))})
        return value


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("or address"), required=False)

    class Meta:
        icon = "link"
        template = "blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(block_errors={"page": ValidationError(_("Choose a page or enter an address."))})
        return value


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class ContentStreamBlock(blocks.StreamBlock):
    """The blocks every page composes from (also what a segment block holds)."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="blocks/paragraph.html")
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class SegmentBlock(blocks.StructBlock):
    """Content only the readers in a segment see (evaluated per request; nobody else gets a trace of it)."""

    segment = SnippetChooserBlock("offers.Segment", label=_("Only for the segment"))
    content = ContentStreamBlock(label=_("Content"))

    class Meta:
        icon = "group"
        label = _("For a segment only")
        template = "blocks/segment.html"

    def get_context(self, value, parent_context=None):
        from offers.segments.visit import visit_for

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        segment = value.get("segment")
        context["show"] = bool(request is not None and segment is not None and segment.matches(visit_for(request)))
        return context


class BaseStreamBlock(ContentStreamBlock):
    for_segment = SegmentBlock()


def has_segment_blocks(stream):
    """Whether a page's StreamField shows something to a segment only (then the page is private to its reader)."""
    return any(block.block_type == "for_segment" for block in stream or [])
