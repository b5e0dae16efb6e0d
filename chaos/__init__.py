"""`make chaos`: the notification engine and the pages under failure, on real processes.

Starts on loopback what it needs (a Celery worker and beat, a redis-server it may kill,
a TCP forwarder in front of PostgreSQL it may cut, an SMTP server recording every
Message-ID, a web process), plans thousands of notifications through the services and
runs each scenario of `chaos.scenarios`. It prints, for each, planned, delivered to
the inbox, e-mailed, duplicates, lost and lateness, and exits non-zero when a message
is lost, an inbox row is delivered twice, e-mail duplicates exceed the bound (one per
worker process per fault) or a saved change answered 5xx. Every scenario has a
deadline; only processes started here are killed. See `python -m chaos --help`.
"""
