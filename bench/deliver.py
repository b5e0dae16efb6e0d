"""One delivering process of the national reminder: deliver_due until nothing is left,
e-mail through the loopback SMTP server on BENCH_SMTP_PORT; prints one JSON line."""

import json
import os


def deliver_all(port: int) -> tuple[int, int]:
    from django.test import override_settings

    from notifications import services

    mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
    }
    delivered = emailed = 0
    with override_settings(MAILERS={"default": mailer}):
        while True:
            report = services.deliver_due(batch_size=500)
            delivered += report.delivered
            emailed += report.emailed
            if not report.delivered and not report.emailed:
                return delivered, emailed


def main() -> None:
    import django

    django.setup()
    delivered, emailed = deliver_all(int(os.environ["BENCH_SMTP_PORT"]))
    print(json.dumps({"delivered": delivered, "emailed": emailed}))


if __name__ == "__main__":
    main()
