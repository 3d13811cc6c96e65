"""Airport and city names in Traditional Chinese for the airports the timetable serves.

`airportsdata` (where every Airport row comes from) has English names only. This table
covers the 22 airports of the demo timetable, in the names Taiwan's airlines and press
use (中華航空, 長榮, 中央社); an airport not in it is shown in English in every language.
A new destination in the timetable is one line here (tests check every served airport
has one).
"""

from django.utils import translation

ZH_HANT = {  # IATA: (city, airport)
    "AUS": ("奧斯汀", "奧斯汀-伯格斯壯國際機場"),
    "BOS": ("波士頓", "波士頓羅根國際機場"),
    "DFW": ("達拉斯-沃斯堡", "達拉斯-沃斯堡國際機場"),
    "EGE": ("伊格爾", "伊格爾郡地區機場"),
    "EWR": ("紐華克", "紐華克自由國際機場"),
    "FLL": ("勞德岱堡", "勞德岱堡-好萊塢國際機場"),
    "IAH": ("休士頓", "休士頓喬治·布希洲際機場"),
    "JFK": ("紐約", "紐約甘迺迪國際機場"),
    "LAS": ("拉斯維加斯", "拉斯維加斯哈利·瑞德國際機場"),
    "LAX": ("洛杉磯", "洛杉磯國際機場"),
    "LGA": ("紐約", "紐約拉瓜地亞機場"),
    "MCO": ("奧蘭多", "奧蘭多國際機場"),
    "MIA": ("邁阿密", "邁阿密國際機場"),
    "ORD": ("芝加哥", "芝加哥歐海爾國際機場"),
    "PBI": ("西棕櫚灘", "棕櫚灘國際機場"),
    "SAN": ("聖地牙哥", "聖地牙哥國際機場"),
    "SEA": ("西雅圖", "西雅圖-塔科馬國際機場"),
    "SFO": ("舊金山", "舊金山國際機場"),
    "SJU": ("聖胡安", "聖胡安路易斯·穆尼奧斯·馬林國際機場"),
    "STL": ("聖路易", "聖路易蘭伯特國際機場"),
    "STT": ("夏洛特阿馬利亞", "聖湯瑪斯島西里爾·金恩機場"),
    "TPA": ("坦帕", "坦帕國際機場"),
}

TABLES = {"zh-hant": ZH_HANT}


def _table(language=None):
    return TABLES.get((language or translation.get_language() or "en").lower())


def city(code, english_city, language=None):
    """The city of airport `code` in `language` (the active one by default), else `english_city`."""
    table = _table(language)
    return table[code][0] if table and code in table else english_city


def airport(code, english_name, language=None):
    """The airport's name in `language` (the active one by default), else `english_name`."""
    table = _table(language)
    return table[code][1] if table and code in table else english_name


def all_names(code):
    """Every name of `code` in every language: what the type-ahead matches typed text against."""
    return [name for table in TABLES.values() for name in table.get(code, ())]
