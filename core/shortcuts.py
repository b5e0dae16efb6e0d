"""Shortcuts for views, after django.shortcuts."""

from django.shortcuts import render


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
