from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdminMixin
from notifications import services
from notifications.models import Notification, Preferences


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Where staff see failed e-mails (filter on e-mail status) and look a message up by key.

    Read only: the apps' services plan, re-time and cancel messages; the one write here,
    trying failed e-mails again, is an action that calls notifications.services.
    """

    list_display = ["key", "recipient", "kind", "status", "due_at", "sent_at", "email_status", "email_attempts"]
    list_filter = ["status", "email_status", "kind"]
    search_fields = ["key"]  # by prefix: see get_search_results
    search_help_text = _("Search by the beginning of the key, for example reception:42:")
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "due_at"
    # Counting every row of a national table on each page view costs more than it tells.
    show_full_result_count = False
    actions = ["retry_email"]
    readonly_fields = [
        "status",
        "created_at",
        "cancelled_at",
        "language",
        "subject",
        "body",
        "sent_at",
        "read_at",
        "error",
        "email_status",
        "email_address",
        "email_text",
        "email_html",
        "email_attempts",
        "email_next_try_at",
        "email_sent_at",
        "email_error",
    ]

    def get_search_results(self, request, queryset, search_term):
        """Search keys by prefix ("reception:42:"), which the unique index on key serves."""
        if not search_term:
            return queryset, False
        return queryset.filter(key__startswith=search_term.strip()), False

    @admin.action(description=_("Try the failed e-mails again"))
    def retry_email(self, request, queryset):
        count = services.email_retry(notifications=queryset.filter(email_status=Notification.EmailStatus.FAILED))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )


class PreferencesAdminForm(forms.ModelForm):
    """The e-mail choices, and the language of messages, which is kept on the person."""

    language = forms.ChoiceField(
        label=_("language of messages"), choices=[("", _("the site's language")), *settings.LANGUAGES], required=False
    )

    class Meta:
        model = Preferences
        fields = ["person", "email_off"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.person_id:
            self.fields["language"].initial = self.instance.person.language


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    form = PreferencesAdminForm
    list_display = ["person", "person__language", "email_off"]
    raw_id_fields = ["person"]
    search_fields = ["person__last_name"]

    def get_readonly_fields(self, request, obj=None):
        return ["person"] if obj else []

    def save_model(self, request, obj, form, change):
        """Save through the service, which keeps only the kinds of message that exist."""
        language = form.cleaned_data["language"]
        saved = services.preferences_update(person=obj.person, language=language, email_off=obj.email_off)
        obj.pk, obj.email_off = saved.pk, saved.email_off
