"""The Jinja2 environment every member page is rendered with."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import pgettext
from jinja2 import Environment


def url(viewname, *args, **kwargs):
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def number(value, decimals=0):
    """A number as a person reads it in the active language (1,234)."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def date(value, fmt="DATE_FORMAT"):
    return formats.date_format(timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value, fmt)


def airport_name(code):
    """The airport's name and city for an IATA code in the active language ("John F Kennedy International Airport, New York")."""
    from members.validators import iata_airports, normalise_iata
    from offers import airport_names

    code = normalise_iata(code)
    airport = iata_airports().get(code)
    if not airport:
        return code or ""
    city = airport_names.city(code, airport.get("city") or "")
    name = airport_names.airport(code, airport.get("name") or code)
    return f"{name}, {city}" if city and city not in name else name


def local_datetime(value, fmt=None):
    """A flight time as the clock at its airport reads it: in the value's own time zone, formatted per language."""
    return formats.date_format(value, fmt or pgettext("Django date format of a flight's local departure", "D j M, H:i"))


def environment(**options):
    options.setdefault("extensions", [])
    options["extensions"] += [
        "jinja2.ext.i18n",
        "wagtail.jinja2tags.core",
        "wagtail.admin.jinja2tags.userbar",
        "wagtail.images.jinja2tags.images",
        "wagtail.contrib.settings.jinja2tags.settings",
        "csp.extensions.NoncedScript",
    ]
    env = Environment(**options)
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(
        static=staticfiles_storage.url,
        url=url,
        get_csrf_token=get_token,
        get_language=translation.get_language,
        get_language_info=translation.get_language_info,
    )
    env.filters.update(number=number, date=date, airport_name=airport_name, local_datetime=local_datetime)
    return env
