"""The keyset pager: the query string it keeps and the links it draws."""

from django.template.loader import render_to_string

from core.pagination import Page, cursor_args, query_without_cursor


def test_the_pager_keeps_filters_and_drops_the_cursor(rf):
    request = rf.get("/list/", {"q": "голик", "region": "28", "after": "abc", "before": "def", "last": "1"})
    assert query_without_cursor(request) == "q=%D0%B3%D0%BE%D0%BB%D0%B8%D0%BA&region=28"
    assert cursor_args(request) == {"after": "abc", "before": "def", "last": True}
    assert cursor_args(rf.get("/list/")) == {"after": None, "before": None, "last": False}


def test_the_pager_links_every_way_in_and_hides_on_a_single_page(rf):
    middle = Page(rows=[1], next_cursor="N", prev_cursor="P", is_first=False, is_last=False)
    html = render_to_string("core/pager.html", {"page": middle, "query": "region=28"})
    for href in ("?region=28", "?region=28&amp;before=P", "?region=28&amp;after=N", "?region=28&amp;last=1"):
        assert f'href="{href}"' in html
    assert "disabled" not in html
    first = Page(rows=[1], next_cursor="N", prev_cursor=None, is_first=True, is_last=False)
    assert 'href="?after=N"' in render_to_string("core/pager.html", {"page": first, "query": ""})
    only = Page(rows=[1], next_cursor=None, prev_cursor=None, is_first=True, is_last=True)
    assert render_to_string("core/pager.html", {"page": only, "query": ""}).strip() == ""
