import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_russian_by_default(client):
    response = client.get(reverse("login"))
    assert 'lang="ru"' in response.content.decode()
    assert "Войти" in response.content.decode()


def test_the_language_switch_turns_the_site_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert 'lang="en"' in response.content.decode()
    assert "Log in to Pervichka" in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("ru", "Страница не найдена"), ("en", "Page not found")])
def test_the_404_page_comes_in_both_languages(client, cast, language, text):
    client.force_login(cast.user("secretary"))
    client.post(reverse("set_language"), {"language": language})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("ru", "Ошибка сервера"), ("en", "Server error")])
def test_the_500_page_renders_without_a_request_context(rf, language, text):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()


def test_the_home_page_greets_the_user(client, cast):
    client.force_login(cast.user("secretary"))
    response = client.get(reverse("desk:home"))
    assert response.status_code == 200
    assert "Добро пожаловать" in response.content.decode()


def test_the_administrator_sees_the_administration_link(client, cast):
    client.force_login(cast.user("admin"))
    assert reverse("admin:index") in client.get(reverse("desk:home")).content.decode()
    client.force_login(cast.user("secretary"))
    assert reverse("admin:index") not in client.get(reverse("desk:home")).content.decode()
