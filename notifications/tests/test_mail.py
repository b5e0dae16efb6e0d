"""The memoising header registry changes how fast messages are built, not what they say."""

import email.policy
import re

import pytest
from django.core.mail import EmailMultiAlternatives

from notifications.mail import NotificationEmail, fast_policy


def _pair(to="s1@example.org", subject="Напоминание: отчёт до пятницы"):
    arguments = {
        "subject": subject,
        "body": "Здравствуйте, Светлана Ивановна!\n\n" + "Длинная строка текста письма, " * 8,
        "from_email": "Первичка <noreply@example.org>",
        "to": [to],
        "headers": {"Message-ID": f"<notification.1.abc@example.org.{to}>", "Date": "Wed, 25 Nov 2026 11:00:00 +0000"},
    }
    plain, fast = EmailMultiAlternatives(**arguments), NotificationEmail(**arguments)
    for message in (plain, fast):
        message.attach_alternative("<p>Здравствуйте!</p>\n" * 5, "text/html")
    return plain, fast


def _bytes(message, policy):
    return re.sub(rb"={15}\d+==", b"BOUNDARY", message.message(policy=policy).as_bytes())


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP], ids=["default", "smtp"])
def test_a_message_comes_out_byte_for_byte_as_django_builds_it(policy):
    for to in ("a@example.org", "b@example.org", "a@example.org"):  # the second "a" reuses cached headers
        plain, fast = _pair(to=to)
        assert _bytes(fast, policy) == _bytes(plain, policy)
        assert _bytes(fast, policy) == _bytes(fast, policy)


def test_a_header_injection_is_still_refused():
    _plain, fast = _pair(subject="Тема\nBcc: victim@example.org")
    with pytest.raises(ValueError, match=r"linefeed|newline"):
        fast.message()


def test_a_policy_with_its_own_header_factory_is_left_alone():
    custom = email.policy.default.clone(header_factory=lambda name, value: value)
    assert fast_policy(custom) is custom
    assert fast_policy(email.policy.SMTP).linesep == "\r\n"
