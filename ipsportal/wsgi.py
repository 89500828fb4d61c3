import os

from django.core.wsgi import get_wsgi_application

from ipsportal.core.process import prepare_web_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipsportal.settings.base")

application = get_wsgi_application()

# gunicorn loads this module before the process accepts a connection.
prepare_web_process()
