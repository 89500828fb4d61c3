"""A deactivated account's sessions end at once, on every device; a change to a user's roles,
units or second factor reaches their sessions on the next request."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_otp.models import Device

from ipsportal.accounts.models import Organisation, Unit, User


@receiver(pre_save, sender=User)
def end_sessions_of_deactivated_account(sender: type, instance: User, **kwargs: object) -> None:
    if instance.pk is None or instance.is_active:
        return
    if not User.objects.filter(pk=instance.pk, is_active=True).exists():
        return  # it was inactive already
    user_id = str(instance.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=doomed).delete()


# --- What a session keeps of the user's roles, units and second factor ----------------------
# Sessions keep a copy of these between requests (ipsportal/accounts/session_facts.py), valid
# while the user's access_version is unchanged. Every change that could narrow what the user
# may do raises it, so the change takes effect on the user's next request.


def access_version_raise(user_ids: Iterable[int]) -> None:
    User.objects.filter(pk__in=list(user_ids)).update(access_version=F("access_version") + 1)


@receiver(m2m_changed, sender=User.groups.through)
def memberships_changed(
    sender: type,
    instance: User | Group,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: object,
) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        access_version_raise([instance.pk])
    elif action == "pre_clear":
        access_version_raise(instance.user_set.values_list("pk", flat=True))  # type: ignore[union-attr]
    else:
        access_version_raise(pk_set or ())


@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def unit_changed(sender: type, instance: Unit, **kwargs: object) -> None:
    """A unit moved to another organisation, renamed or removed: its members' organisations
    (and the unit names their sessions show) change."""
    access_version_raise(User.objects.filter(groups=instance.group_id).values_list("pk", flat=True))


@receiver(post_save, sender=Organisation)
def organisation_renamed(sender: type, instance: Organisation, **kwargs: object) -> None:
    """Sessions name their units with the organisation's name."""
    if kwargs.get("created"):
        return
    access_version_raise(
        User.objects.filter(groups__unit__organisation=instance).values_list("pk", flat=True)
    )


@receiver(post_save)
@receiver(post_delete)
def second_factor_changed(sender: type, instance: object, **kwargs: object) -> None:
    """A device confirmed, disabled or removed (a lost phone): sessions check it again."""
    if isinstance(instance, Device) and instance.user_id is not None:
        access_version_raise([instance.user_id])
