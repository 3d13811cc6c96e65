"""Traditional Chinese (Taiwan) formats where Django's own zh_Hant formats differ from Taiwan usage.

Django groups zh_Hant numbers by four with no separator (1234567); Taiwan's airlines,
banks and government write 1,234,567 (CLDR zh-Hant-TW: "#,##0.###"). Everything not
defined here falls through to django/conf/locale/zh_Hant/formats.py.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DECIMAL_SEPARATOR = "."
MONTH_DAY_FORMAT = "n月j日"
