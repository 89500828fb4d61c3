"""The one way anything notifies a staff member: ``notify``. Each event notifies each person
once (the key), never the person who caused it, and goes by e-mail through the outbox to those
who chose e-mail."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipsportal.accounts.models import User
from ipsportal.core import outbox
from ipsportal.notifications.models import Notification, NotificationChoice, NotificationKind


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    url: str,
    key: str,
    due_on: datetime.date | None = None,
    caused_by: User | None = None,
) -> list[Notification]:
    """Notify each recipient once for ``key``; returns the notifications made now."""
    made = []
    people = {person.pk: person for person in recipients if person is not None}
    # In the order of their ids: raising a recipient's number (_unread_changed) locks their row
    # until the caller's transaction ends, and two calls notifying the same people at once then
    # take the locks in the same order rather than each waiting for the other.
    for _pk, person in sorted(people.items()):
        if not person.is_active or (caused_by is not None and person.pk == caused_by.pk):
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=person, kind=kind, url=url, key=key, due_on=due_on
                )
                _unread_changed(person)
        except IntegrityError:
            continue  # notified of this before
        made.append(notification)
        if wants_email(person) and person.email:
            outbox.enqueue(
                "ipsportal.notifications.tasks.notification_email_task",
                notification_id=notification.pk,
            )
    return made


def wants_email(user: User) -> bool:
    return NotificationChoice.objects.filter(user=user, by_email=True).exists()


def email_choice_set(*, user: User, by_email: bool) -> None:
    if by_email != wants_email(user):
        NotificationChoice.objects.update_or_create(user=user, defaults={"by_email": by_email})


# The session's copy of the header's count: [the user's notifications_version, the count].
UNREAD_SESSION_KEY = "notifications_unread"


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_kept(user: User, session: SessionBase) -> int:
    """The header's count on every page, counted once and kept in the session while the user's
    ``notifications_version`` (read with the user, as every request does) is the one it was
    counted at: a notification made or read since raises it, and the next page counts again."""
    kept = session.get(UNREAD_SESSION_KEY)
    if kept is not None and kept[0] == user.notifications_version:
        count: int = kept[1]
        return count
    count = unread_count(user)
    session[UNREAD_SESSION_KEY] = [user.notifications_version, count]
    return count


def _unread_changed(user: User) -> None:
    """In the transaction that made or read the user's notifications."""
    User.objects.filter(pk=user.pk).update(notifications_version=F("notifications_version") + 1)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        marked = unread.update(read_at=timezone.now())
        if marked:
            _unread_changed(user)
    return marked


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail for one notification, once: the row is locked and stamped in the same
    transaction, so a retried or duplicated task sends nothing more. The e-mail names the kind
    and links to the portal; it carries no citizen data."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            what = str(NotificationKind(notification.kind).label)
            body = [what + "."]
            if notification.due_on:
                body.append(_("Date: %(day)s.") % {"day": notification.due_on.strftime("%d-%m-%Y")})
            body.append(
                _("Open the portal to see it: %(url)s")
                % {"url": settings.PORTAL_URL.rstrip("/") + notification.url}
            )
            body.append(
                _(
                    "You get these e-mails because you chose them on the portal's "
                    "notifications page."
                )
            )
            EmailMessage(
                subject=_("IPS Portal: %(what)s") % {"what": what},
                body="\n\n".join(body),
                to=[notification.recipient.email],
            ).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
