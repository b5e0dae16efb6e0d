"""Notifications: one row per message to one person, and each person's preferences.

A notification is planned with a unique key and a due time, delivered to the inbox once
(rendered then, in the recipient's language and time zone), and e-mailed after that
with retries. The rules that keep a message from going out twice live here as
constraints; the steps that claim rows live in services.py.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Person


class NotificationQuerySet(models.QuerySet):
    def delivered(self):
        return self.filter(status=Notification.Status.DELIVERED)

    def unread(self):
        return self.delivered().filter(read_at__isnull=True)

    def for_person(self, person_id: int | None):
        return self.filter(recipient_id=person_id) if person_id else self.none()


class Notification(models.Model):
    """One message to one person: planned, then delivered to the inbox, then e-mailed."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")
        # The templates could not be rendered: never delivered, shown to staff in the admin.
        FAILED = "failed", _("failed")

    class EmailStatus(models.TextChoices):
        NONE = "", _("not yet")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent (no address or turned off)")

    recipient = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        # Served by notification_inbox, which starts with the recipient.
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(
        _("key"),
        max_length=200,
        # Byte order: keys are ASCII, and the unique index then serves prefix searches
        # ("reception:42:%") as well.
        db_collation="C",
        help_text=_("Unique: planning a key again changes nothing."),
    )
    due_at = models.DateTimeField(_("due"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PLANNED)
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    # Rendered once, at delivery, in the recipient's language and time zone: the inbox
    # shows subject and body; the e-mail parts are cleared once the e-mail is sent.
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    email_status = models.CharField(
        _("e-mail status"), max_length=16, choices=EmailStatus, default=EmailStatus.NONE, blank=True
    )
    email_address = models.EmailField(_("e-mail address"), blank=True)
    email_text = models.TextField(_("e-mail text"), blank=True)
    email_html = models.TextField(_("e-mail HTML"), blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_next_try_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.TextField(_("e-mail error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # The key is what makes planning idempotent: INSERT ... ON CONFLICT (key) DO NOTHING.
            models.UniqueConstraint(fields=["key"], name="notification_key_unique"),
            models.CheckConstraint(
                condition=Q(status="delivered", sent_at__isnull=False) | (~Q(status="delivered") & Q(sent_at=None)),
                name="notification_sent_iff_delivered",
            ),
            models.CheckConstraint(
                condition=Q(read_at=None) | Q(status="delivered"), name="notification_read_only_when_delivered"
            ),
            models.CheckConstraint(
                condition=~Q(email_status="queued") | Q(email_next_try_at__isnull=False, status="delivered"),
                name="notification_queued_email_has_a_time",
            ),
        ]
        indexes = [
            # The delivery claim: planned rows with due_at <= now, oldest first.
            models.Index(fields=["due_at", "id"], condition=Q(status="planned"), name="notification_planned_due"),
            # The e-mail claim: queued e-mails whose next attempt is due, oldest first.
            models.Index(
                fields=["email_next_try_at", "id"], condition=Q(email_status="queued"), name="notification_email_queue"
            ),
            # One person's inbox page, newest first (keyset on sent_at, id); also the
            # recipient's foreign key (a person's rows when they are deleted).
            models.Index(fields=["recipient", "-sent_at", "-id"], name="notification_inbox"),
            # The unread badge in the navigation, on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(status="delivered", read_at=None),
                name="notification_unread",
            ),
            # Failed e-mails: the administrators' count and the admin filter.
            models.Index(fields=["sent_at"], condition=Q(email_status="failed"), name="notification_email_failed"),
        ]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("notifications:detail", kwargs={"pk": self.pk})

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preferences(models.Model):
    """The kinds of message one person wants only in the inbox (the language is on the person)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("recipient")
    )
    email_off = ArrayField(
        models.CharField(max_length=64),
        verbose_name=_("no e-mail for"),
        default=list,
        blank=True,
        help_text=_("Kinds of message that reach only the inbox."),
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.person)

    def wants_email(self, kind: str) -> bool:
        return kind not in self.email_off
