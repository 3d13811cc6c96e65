"""The Traditional Chinese catalogue is complete, faithful to its placeholders, compiled, and served.

How strings get here: docs/i18n-a11y.md (`make messages`, translate, `make compilemessages`).
"""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from portal.jinja2 import date, number

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ["zh_Hant"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w*\}")


def catalog(locale):
    with open(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=locale)


def entries(locale):
    """(msgid, msgstr) pairs, a plural message giving one pair per form."""
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        for i, string in enumerate(strings):
            yield message, ids[min(i, len(ids) - 1)], string


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def babel_keywords():
    """The keywords `make messages` extracts with, read from the Makefile (one source of truth)."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = re.search(r"^BABEL_KEYWORDS\s*:=(.*)$", makefile, re.M).group(1)
    keywords = {}
    for spec in re.findall(r"-k\s+(\S+)", line):
        name, _, args = spec.partition(":")
        if not args:
            keywords[name] = None
            continue
        parsed = []
        for arg in args.split(","):
            parsed.append((int(arg[:-1]), "c") if arg.endswith("c") else int(arg))
        keywords[name] = tuple(parsed)
    return keywords


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    untranslated = [msgid for message, msgid, string in entries(locale) if not string.strip()]
    fuzzy = [message.id for message in catalog(locale) if message.id and message.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {locale}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy entries in {locale} (check and clear the flag): {fuzzy[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(locale):
    wrong = [
        (msgid, string)
        for message, msgid, string in entries(locale)
        if string and placeholders(msgid) != placeholders(string)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(f"  {a!r}\n  -> {b!r}" for a, b in wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_lone_percent_sign_is_doubled_in_python_format_messages(locale):
    # "%(pct)s%% on time": a single % in a translation breaks the % formatting at run time.
    broken = []
    for message, msgid, string in entries(locale):
        if "python-format" in message.flags and string:
            try:
                string % {name: 1 for name in re.findall(r"%\((\w+)\)", string)}
            except (TypeError, ValueError, KeyError):
                broken.append(string)
    assert not broken


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_mo_file_says_what_the_po_file_says(locale):
    """`make compilemessages` after every .po edit: Django reads only the .mo."""
    mo_path = ROOT / "locale" / locale / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), "run `make compilemessages` and commit the .mo"
    with open(mo_path, "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for message in catalog(locale):
        if not message.id:
            continue
        if message.pluralizable:
            got = compiled.ngettext(message.id[0], message.id[1], 1)
            expected = message.string[0]
        else:
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            got = compiled._catalog.get(key)
            expected = message.string
        if expected and got != expected:
            stale.append(message.id)
    assert not stale, f"the .mo is out of date (run `make compilemessages`): {stale[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_in_the_code_and_templates_is_in_the_catalogue(locale):
    """A new _() in a template or gettext() in Python needs `make messages` and a translation."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    in_code = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=babel_keywords()
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            in_code.add((context, msgid))
    in_catalogue = {
        (m.context, m.id[0] if m.pluralizable else m.id) for m in catalog(locale) if m.id
    }
    missing = sorted(in_code - in_catalogue, key=lambda pair: pair[1])
    assert not missing, (
        f"{len(missing)} strings are not in locale/{locale}/LC_MESSAGES/django.po; "
        f"run `make messages`, translate them, `make compilemessages`: {[m for _, m in missing][:10]}"
    )


def test_django_finds_the_catalogue_for_zh_hant():
    with translation.override("zh-hant"):
        assert translation.gettext("My trips") == "我的行程"
        assert translation.gettext("Premium Economy") == "豪華經濟艙"
        # Django's and allauth's own zh_Hant catalogues still answer for their strings.
        assert translation.gettext("This field is required.") == "必要欄位"


@pytest.mark.parametrize(
    "header",
    ["zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant", "zh-Hant-TW", "zh-HK", "zh-tw"],
)
@pytest.mark.django_db
def test_a_browser_asking_for_traditional_chinese_gets_it(client, header):
    response = client.get("/flights/", HTTP_ACCEPT_LANGUAGE=header)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hant"' in body
    assert "航班時刻與票價" in body  # "Schedules and fares"


@pytest.mark.parametrize("header", ["en-US,en;q=0.9", "fr-FR", "", "garbage;;;q=x,,", "x" * 300, "*"])
@pytest.mark.django_db
def test_other_or_broken_accept_language_headers_get_english(client, header):
    response = client.get("/flights/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Schedules and fares" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_keeps_the_choice_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/flights/"})
    assert response.status_code == 302 and response["Location"] == "/flights/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    page = client.get("/flights/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-hant"' in page.content.decode()
    assert "登入" in page.content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/flights/"})
    assert '<html lang="en"' in client.get("/flights/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_code_in_the_cookie_or_the_switcher_falls_back_to_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-bogus"
    response = client.get("/flights/")
    assert response.status_code == 200 and '<html lang="en"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "klingon", "next": "/flights/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/flights/").content.decode()


@override_settings(USE_THOUSAND_SEPARATOR=False)
def test_numbers_and_dates_follow_the_language():
    day = datetime.date(2026, 12, 24)
    with translation.override("en"):
        assert number(1234567) == "1,234,567"
        assert date(day) == "Dec. 24, 2026"
    with translation.override("zh-hant"):
        assert number(1234567) == "1,234,567"  # Taiwan groups by three (portal/formats/zh_Hant)
        assert number(1234.5, 2) == "1,234.50"
        assert date(day) == "2026年12月24日"
        assert date(day, "MONTH_DAY_FORMAT") == "12月24日"
        # The fare calendar's own day format is translated too.
        fmt = translation.pgettext("Django date format of a day in the fare calendar", "D j M")
        assert date(day, fmt) == "12月24日 星期四"
        noon = datetime.datetime(2026, 12, 24, 15, 5, tzinfo=datetime.timezone.utc)
        assert date(noon, "DATETIME_FORMAT") == "2026年12月24日 15:05"
