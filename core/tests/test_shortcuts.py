"""The one form page: a title, the form with its buttons, the way back."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.models import AnonymousUser

from core.shortcuts import render_form


class NameForm(forms.Form):
    name = forms.CharField(label="Название")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Сохранить"))


@pytest.mark.django_db
def test_a_form_page_shows_the_title_the_form_and_the_way_back(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = render_form(
        request, NameForm(), title="Новое", intro="Коротко о форме.", back_url="/back/", breadcrumbs=[("/up/", "Выше")]
    )
    page = response.content.decode()
    assert "Новое" in page.split("</title>")[0]
    assert 'href="/up/">Выше</a>' in page
    assert "Коротко о форме." in page
    assert 'name="name"' in page and 'value="Сохранить"' in page
    assert 'href="/back/">' in page
