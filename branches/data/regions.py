"""The 89 regional branches: subject code, name, federal district, IANA time zone.

Codes are the subjects' official codes (as in tax and vehicle registration); a
region whose clocks span several zones takes the zone of its administrative centre.
"""

CENTRAL = "central"
NORTHWESTERN = "northwestern"
SOUTHERN = "southern"
NORTH_CAUCASIAN = "north_caucasian"
VOLGA = "volga"
URAL = "ural"
SIBERIAN = "siberian"
FAR_EASTERN = "far_eastern"

REGIONS = [
    ("01", "Республика Адыгея", SOUTHERN, "Europe/Moscow"),
    ("02", "Республика Башкортостан", VOLGA, "Asia/Yekaterinburg"),
    ("03", "Республика Бурятия", FAR_EASTERN, "Asia/Irkutsk"),
    ("04", "Республика Алтай", SIBERIAN, "Asia/Barnaul"),
    ("05", "Республика Дагестан", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("06", "Республика Ингушетия", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("07", "Кабардино-Балкарская Республика", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("08", "Республика Калмыкия", SOUTHERN, "Europe/Moscow"),
    ("09", "Карачаево-Черкесская Республика", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("10", "Республика Карелия", NORTHWESTERN, "Europe/Moscow"),
    ("11", "Республика Коми", NORTHWESTERN, "Europe/Moscow"),
    ("12", "Республика Марий Эл", VOLGA, "Europe/Moscow"),
    ("13", "Республика Мордовия", VOLGA, "Europe/Moscow"),
    ("14", "Республика Саха (Якутия)", FAR_EASTERN, "Asia/Yakutsk"),
    ("15", "Республика Северная Осетия — Алания", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("16", "Республика Татарстан", VOLGA, "Europe/Moscow"),
    ("17", "Республика Тыва", SIBERIAN, "Asia/Krasnoyarsk"),
    ("18", "Удмуртская Республика", VOLGA, "Europe/Samara"),
    ("19", "Республика Хакасия", SIBERIAN, "Asia/Krasnoyarsk"),
    ("20", "Чеченская Республика", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("21", "Чувашская Республика", VOLGA, "Europe/Moscow"),
    ("22", "Алтайский край", SIBERIAN, "Asia/Barnaul"),
    ("23", "Краснодарский край", SOUTHERN, "Europe/Moscow"),
    ("24", "Красноярский край", SIBERIAN, "Asia/Krasnoyarsk"),
    ("25", "Приморский край", FAR_EASTERN, "Asia/Vladivostok"),
    ("26", "Ставропольский край", NORTH_CAUCASIAN, "Europe/Moscow"),
    ("27", "Хабаровский край", FAR_EASTERN, "Asia/Vladivostok"),
    ("28", "Амурская область", FAR_EASTERN, "Asia/Yakutsk"),
    ("29", "Архангельская область", NORTHWESTERN, "Europe/Moscow"),
    ("30", "Астраханская область", SOUTHERN, "Europe/Astrakhan"),
    ("31", "Белгородская область", CENTRAL, "Europe/Moscow"),
    ("32", "Брянская область", CENTRAL, "Europe/Moscow"),
    ("33", "Владимирская область", CENTRAL, "Europe/Moscow"),
    ("34", "Волгоградская область", SOUTHERN, "Europe/Volgograd"),
    ("35", "Вологодская область", NORTHWESTERN, "Europe/Moscow"),
    ("36", "Воронежская область", CENTRAL, "Europe/Moscow"),
    ("37", "Ивановская область", CENTRAL, "Europe/Moscow"),
    ("38", "Иркутская область", SIBERIAN, "Asia/Irkutsk"),
    ("39", "Калининградская область", NORTHWESTERN, "Europe/Kaliningrad"),
    ("40", "Калужская область", CENTRAL, "Europe/Moscow"),
    ("41", "Камчатский край", FAR_EASTERN, "Asia/Kamchatka"),
    ("42", "Кемеровская область — Кузбасс", SIBERIAN, "Asia/Novokuznetsk"),
    ("43", "Кировская область", VOLGA, "Europe/Kirov"),
    ("44", "Костромская область", CENTRAL, "Europe/Moscow"),
    ("45", "Курганская область", URAL, "Asia/Yekaterinburg"),
    ("46", "Курская область", CENTRAL, "Europe/Moscow"),
    ("47", "Ленинградская область", NORTHWESTERN, "Europe/Moscow"),
    ("48", "Липецкая область", CENTRAL, "Europe/Moscow"),
    ("49", "Магаданская область", FAR_EASTERN, "Asia/Magadan"),
    ("50", "Московская область", CENTRAL, "Europe/Moscow"),
    ("51", "Мурманская область", NORTHWESTERN, "Europe/Moscow"),
    ("52", "Нижегородская область", VOLGA, "Europe/Moscow"),
    ("53", "Новгородская область", NORTHWESTERN, "Europe/Moscow"),
    ("54", "Новосибирская область", SIBERIAN, "Asia/Novosibirsk"),
    ("55", "Омская область", SIBERIAN, "Asia/Omsk"),
    ("56", "Оренбургская область", VOLGA, "Asia/Yekaterinburg"),
    ("57", "Орловская область", CENTRAL, "Europe/Moscow"),
    ("58", "Пензенская область", VOLGA, "Europe/Moscow"),
    ("59", "Пермский край", VOLGA, "Asia/Yekaterinburg"),
    ("60", "Псковская область", NORTHWESTERN, "Europe/Moscow"),
    ("61", "Ростовская область", SOUTHERN, "Europe/Moscow"),
    ("62", "Рязанская область", CENTRAL, "Europe/Moscow"),
    ("63", "Самарская область", VOLGA, "Europe/Samara"),
    ("64", "Саратовская область", VOLGA, "Europe/Saratov"),
    ("65", "Сахалинская область", FAR_EASTERN, "Asia/Sakhalin"),
    ("66", "Свердловская область", URAL, "Asia/Yekaterinburg"),
    ("67", "Смоленская область", CENTRAL, "Europe/Moscow"),
    ("68", "Тамбовская область", CENTRAL, "Europe/Moscow"),
    ("69", "Тверская область", CENTRAL, "Europe/Moscow"),
    ("70", "Томская область", SIBERIAN, "Asia/Tomsk"),
    ("71", "Тульская область", CENTRAL, "Europe/Moscow"),
    ("72", "Тюменская область", URAL, "Asia/Yekaterinburg"),
    ("73", "Ульяновская область", VOLGA, "Europe/Ulyanovsk"),
    ("74", "Челябинская область", URAL, "Asia/Yekaterinburg"),
    ("75", "Забайкальский край", FAR_EASTERN, "Asia/Chita"),
    ("76", "Ярославская область", CENTRAL, "Europe/Moscow"),
    ("77", "Москва", CENTRAL, "Europe/Moscow"),
    ("78", "Санкт-Петербург", NORTHWESTERN, "Europe/Moscow"),
    ("79", "Еврейская автономная область", FAR_EASTERN, "Asia/Vladivostok"),
    ("83", "Ненецкий автономный округ", NORTHWESTERN, "Europe/Moscow"),
    ("86", "Ханты-Мансийский автономный округ — Югра", URAL, "Asia/Yekaterinburg"),
    ("87", "Чукотский автономный округ", FAR_EASTERN, "Asia/Anadyr"),
    ("89", "Ямало-Ненецкий автономный округ", URAL, "Asia/Yekaterinburg"),
    ("90", "Запорожская область", SOUTHERN, "Europe/Moscow"),
    ("91", "Республика Крым", SOUTHERN, "Europe/Simferopol"),
    ("92", "Севастополь", SOUTHERN, "Europe/Simferopol"),
    ("93", "Донецкая Народная Республика", SOUTHERN, "Europe/Moscow"),
    ("94", "Луганская Народная Республика", SOUTHERN, "Europe/Moscow"),
    ("95", "Херсонская область", SOUTHERN, "Europe/Moscow"),
]


def ensure_regions(region_model) -> None:
    """Create or update the 89 regions (used by the data migration, and by tests after a flush)."""
    for code, name, district, time_zone in REGIONS:
        region_model.objects.update_or_create(
            code=code, defaults={"name": name, "federal_district": district, "time_zone": time_zone}
        )
