import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsportal.settings.base")

app = Celery("ipsportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
