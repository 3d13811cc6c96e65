"""The demo offers' title and summary in Traditional Chinese (Taiwan usage), as `OfferTranslation` rows.

Written once per offer: an offer that has a zh-hant translation keeps it (an editor may
have changed it). Place names follow offers/airport_names.py; vocabulary docs/i18n-a11y.md.
"""

from wagtail.models import Locale

from offers.models import Offer, OfferTranslation

LANGUAGE = "zh-hant"

ZH_HANT = {  # slug: (title, summary)
    "miami-double-miles": ("邁阿密航線哩程加倍", "月底前搭機前往邁阿密，即可累積雙倍哩程。"),
    "fort-lauderdale-sale": ("勞德岱堡 US$129 起", "紐約甘迺迪機場出發的經濟艙單程票價，須於八週內出發。"),
    "tampa-spring-training": ("坦帕春訓之旅", "三月加開週末座位，飛往坦帕看棒球春訓。"),
    "orlando-family-bonus": ("奧蘭多親子加贈哩程", "每趟前往奧蘭多的親子旅行加贈 1,500 哩。"),
    "palm-beach-winter": ("西棕櫚灘冬季度假", "一月至四月由拉瓜地亞機場出發的週末航班。"),
    "san-juan-sun": ("聖胡安陽光假期", "由紐約甘迺迪機場飛往波多黎各的冬季優惠票價。"),
    "st-thomas-islands": ("聖湯瑪斯島跳島遊", "搭乘合作夥伴的跳島渡輪，也能累積哩程。"),
    "vail-ski-bag": ("飛韋爾，雪具免費託運", "雙板或單板雪具免費託運至伊格爾郡。"),
    "vail-lodge-partner": ("韋爾合作山莊哩程", "入住合作山莊三晚，即可獲得 3,000 哩。"),
    "la-business-upgrade": ("升等商務艙飛洛杉磯", "紐約甘迺迪－洛杉磯航線，以 15,000 哩升等商務艙。"),
    "sf-wine-weekend": ("那帕酒鄉週末", "在舊金山周邊的合作酒莊消費，即可累積哩程。"),
    "seattle-parks": ("西雅圖與國家公園", "前往雷尼爾山旅遊，租車也能累積哩程。"),
    "austin-music": ("奧斯汀現場音樂", "購買奧斯汀音樂節門票，即可累積哩程。"),
    "vegas-shows": ("拉斯維加斯秀場", "購買拉斯維加斯表演門票，即可累積哩程。"),
    "chicago-commuter": ("芝加哥通勤套票", "拉瓜地亞－歐海爾航班十趟，固定票價。"),
    "dallas-commuter": ("達拉斯通勤套票", "飛往達拉斯-沃斯堡的航班十趟，固定票價。"),
    "boston-shuttle": ("一小時抵達波士頓", "平日每小時一班，往返紐約甘迺迪機場與波士頓。"),
    "st-louis-day-trip": ("聖路易當日來回", "早上出發，晚餐前就到家。"),
    "houston-energy": ("休士頓能源週", "平日搭機前往休士頓，會籍積分加倍。"),
    "san-diego-lie-flat": ("全平躺座椅飛聖地牙哥", "紐約甘迺迪－聖地牙哥航線免費升等。"),
    "jfk-lounge-day-pass": ("甘迺迪機場貴賓室單日券", "以 5,000 哩兌換甘迺迪機場第 8 航廈貴賓室單日使用券。"),
    "lga-lounge-day-pass": ("拉瓜地亞機場貴賓室單日券", "以 5,000 哩兌換拉瓜地亞機場貴賓室單日使用券。"),
    "flagship-lounge-guest": ("旗艦貴賓室多帶一位貴賓", "今年冬天，旗艦貴賓室可多攜一位同行貴賓。"),
    "gold-status-boost": ("金卡會員加贈 5,000 會籍積分", "離白金卡更近一步：完成三趟旅程，即獲 5,000 會籍積分。"),
    "platinum-pro-challenge": ("白金卓越卡挑戰", "90 天內完成四趟來回航程，即可晉升白金卓越卡。"),
    "executive-thank-you": ("感謝特級白金卡會員", "謝謝您這一年都在最高會籍，致贈 20,000 哩。"),
    "welcome-member": ("歡迎禮：首次搭機加贈 1,000 哩", "首次搭乘 Wayfare 航班，即可獲得 1,000 哩。"),
    "extra-bag-gold": ("金卡會員第二件行李免費", "今年冬天的旅程，第二件託運行李免費。"),
    "miami-lounge-terrace": ("邁阿密貴賓室露台", "從邁阿密回程，就從全新的露台開始。"),
    "la-hotel-partner": ("洛杉磯飯店哩程", "入住洛杉磯合作飯店，最高可獲 2,000 哩。"),
    "sf-city-break": ("舊金山城市小旅行", "紐約甘迺迪機場飛舊金山的週末票價。"),
    "miami-shopping": ("邁阿密購物哩程", "在邁阿密合作商店消費，即可累積哩程。"),
    "dallas-sports": ("達拉斯比賽日", "本季飛往達拉斯看球賽的週末票價。"),
    "orlando-parks": ("奧蘭多主題樂園", "全家人的樂園門票都能累積哩程。"),
    "holiday-preview": ("假期票價（下週開賣）", "假期早鳥票價下週上線。"),
    "summer-sale-ended": ("夏季特賣（已結束）", "去年夏天的特賣活動。"),
    "jfk-gold-breakfast": ("甘迺迪機場貴賓室早餐", "紐約甘迺迪機場出發的金卡以上會員：搭早班機前，在第 8 航廈貴賓室免費享用早餐。"),
    "near-gold-sprint": ("衝刺金卡", "您離金卡只差一步：接下來兩趟來回航程加贈 3,000 會籍積分。"),
}


def load_offer_translations():
    """Give each demo offer without one its zh-hant title, summary and details; returns how many were written."""
    locale, _created = Locale.objects.get_or_create(language_code=LANGUAGE)
    done = set(OfferTranslation.objects.filter(locale=locale).values_list("offer__slug", flat=True))
    rows = [OfferTranslation(offer=offer, locale=locale, title=ZH_HANT[offer.slug][0], summary=ZH_HANT[offer.slug][1],
                             body=f"<p>{ZH_HANT[offer.slug][1]}</p>")
            for offer in Offer.objects.filter(slug__in=ZH_HANT).exclude(slug__in=done)]
    OfferTranslation.objects.bulk_create(rows)
    return len(rows)
