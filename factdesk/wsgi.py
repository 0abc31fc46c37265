"""WSGI entry point (gunicorn factdesk.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")

application = get_wsgi_application()
