"""Babel extractor for Django templates (the few Wagtail admin screens written in Django's language).

`make messages` extracts with Babel so that no GNU gettext is needed; Babel reads Python
and Jinja2 itself, and this hands it Django templates the way `makemessages` does:
Django's own `templatize` turns `{% translate %}` / `{% blocktranslate %}` into gettext
calls on the same lines, and Babel's Python extractor reads those. Named in babel.cfg.
"""

import io

from babel.messages.extract import extract_python


def extract_django_template(fileobj, keywords, comment_tags, options):
    from django.utils.translation.template import templatize

    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    # templatize keeps the template's indentation, which Python's tokenizer (unlike xgettext)
    # reads as blocks: an indented {% if %} is an IndentationError. Line numbers stay.
    code = "\n".join(line.lstrip() for line in templatize(source).splitlines())
    yield from extract_python(io.BytesIO(code.encode("utf-8")), keywords, comment_tags, options)
