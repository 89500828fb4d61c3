"""A notification tells a staff member that something needs them, without the citizen's data:
its text is the kind (and a date), and it links to the page it is about, which checks access and
logs the read as every page does. So the list, the header's count and the e-mails carry no
citizen data and need no access check of their own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipsportal.core.choices import ChoiceDisplay


class NotificationKind(models.TextChoices):
    REFERRAL_NEW = "referral_new", _("A new referral is waiting in your team's queue")
    REFERRAL_ACCEPTED = "referral_accepted", _("A referral you made was accepted")
    REFERRAL_DECLINED = "referral_declined", _("A referral you made was declined")
    REFERRAL_WAITING = "referral_waiting", _("A referral you made waits for a free place")
    ACTION_GIVEN = "action_given", _("A plan action was given to you")
    ACTION_OVERDUE = "action_overdue", _("A plan action of yours is past its deadline")
    PLAN_CHANGED = "plan_changed", _("Another organisation changed a shared plan you work from")
    CONSENT_EXPIRING = "consent_expiring", _("A consent for a citizen you work with expires soon")
    FOLLOW_UP_DUE = "follow_up_due", _("A follow-up is due")


class Notification(ChoiceDisplay, models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    # The page the notification is about (a path in the portal, with ids, never names).
    url = models.CharField(max_length=300)
    # A deadline, an expiry or a due date, when the kind has one.
    due_on = models.DateField(null=True, blank=True)
    # What happened, once per recipient: the same event never notifies twice.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notifications_each_event_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"


class NotificationChoice(models.Model):
    """A staff member's choice: notifications also by e-mail (off until they choose it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choice"
    )
    by_email = models.BooleanField(_("Also send me an e-mail for each notification"))

    def __str__(self) -> str:
        return f"{self.user_id}: {'e-mail' if self.by_email else 'portal'}"
