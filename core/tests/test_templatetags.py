"""The project's template filters."""

from core.templatetags.pervichka import marked


def test_marked_text_is_escaped_and_only_the_matches_are_marked():
    assert marked("a <b>\x02word\x03</b> & more") == "a &lt;b&gt;<mark>word</mark>&lt;/b&gt; &amp; more"
