import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsportal.settings.base")

application = get_wsgi_application()

# Django imports the URLconf, and with it every view, on the first request a process serves:
# about half a second that the first user after each deploy or restart would wait for, once per
# web process. Done here, before the process takes requests.
import_module(settings.ROOT_URLCONF)
