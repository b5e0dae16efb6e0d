"""Shortcuts for views, after django.shortcuts."""

from collections.abc import Callable
from functools import wraps

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control


def render_form(
    request,
    form,
    *,
    title: str,
    back_url: str = "",
    intro: str = "",
    breadcrumbs: list[tuple[str, str]] | None = None,
    wide: bool = False,
    template: str = "core/form.html",
    **context,
):
    """Render the page of one form: a title, a line of introduction, the form and the way back.

    A page with more to say extends core/form.html and passes its own `template` and context.
    """
    context |= {
        "form": form,
        "title": title,
        "back_url": back_url,
        "intro": intro,
        "breadcrumbs": breadcrumbs or [],
        "wide": wide,
    }
    return render(request, template, context)


def private_download(view):
    """Mark every answer of `view` `Cache-Control: private, no-store`: personal data stays in no cache.

    Downloads of personal data (exports, calendars) must not be kept by a shared proxy nor
    left on the disk of a shared computer. core.spreadsheets marks its downloads itself.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def url_maker(name: str, kwarg: str = "pk") -> Callable[[int], str]:
    """A function making the URL `name` for one integer argument, reversing the pattern once.

    A list of fifty rows each linking to its object would reverse fifty times (about 25 µs
    each, a third of a table's rendering); this reverses once with a marker and fills it in.
    """
    marker = 987654321987
    pattern = reverse(name, kwargs={kwarg: marker})
    head, tail = pattern.split(str(marker))
    return lambda value: f"{head}{int(value)}{tail}"
