"""Time zones are named as people in Russia name them, counted from Moscow."""

from datetime import UTC, datetime

from django.utils import translation

from core.timezones import zone_label

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)


def test_zones_are_counted_from_moscow_with_their_utc_offset():
    with translation.override("ru"):
        assert zone_label("Asia/Yakutsk", at=WINTER) == "МСК+6 (UTC+9)"
        assert zone_label("Asia/Kamchatka", at=WINTER) == "МСК+9 (UTC+12)"
        assert zone_label("Europe/Kaliningrad", at=WINTER) == "МСК−1 (UTC+2)"
        assert zone_label("Europe/Moscow", at=WINTER) == "московское время (UTC+3)"
        assert zone_label("Asia/Kolkata", at=WINTER) == "МСК+2:30 (UTC+5:30)"


def test_english_pages_name_zones_in_english_and_an_unknown_name_stays_as_it_is():
    with translation.override("en"):
        assert zone_label("Asia/Yakutsk", at=WINTER) == "MSK+6 (UTC+9)"
        assert zone_label("Europe/Moscow", at=WINTER) == "Moscow time (UTC+3)"
    assert zone_label("Mars/Olympus") == "Mars/Olympus"
