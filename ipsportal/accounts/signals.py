"""A deactivated account's sessions end at once, on every device."""

from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from ipsportal.accounts.models import User


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
