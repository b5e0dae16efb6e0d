import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_csp_without_inline_script(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content


def test_passwords_are_hashed_with_argon2(cast):
    assert cast.user("secretary").password.startswith("argon2")


def test_five_failed_logins_lock_the_name_at_that_address(client, cast):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "secretary", "password": "wrong"})
    response = client.post(url, {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_on_one_name_leaves_other_names_alone(client, cast):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "secretary", "password": "wrong"})
    response = client.post(url, {"username": "host", "password": PASSWORD})
    assert response.status_code == 302


def test_staff_sessions_expire_after_thirty_idle_minutes(client, cast):
    client.force_login(cast.user("admin"))
    client.get(reverse("desk:home"))
    assert client.session.get_expiry_age() == 30 * 60


def test_other_sessions_keep_the_default_age(client, cast, settings):
    client.force_login(cast.user("secretary"))
    client.get(reverse("desk:home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_password_change_works(client, cast):
    client.force_login(cast.user("secretary"))
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-77",
            "new_password2": "a-new-long-pass-77",
        },
    )
    assert response.status_code == 302
    cast.user("secretary").refresh_from_db()
    assert cast.user("secretary").check_password("a-new-long-pass-77")


def test_logout_needs_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.user("secretary"))
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
