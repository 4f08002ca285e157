"""WSGI entry point: `gunicorn tracecode.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from tracecode.private_files import restrict_umask

restrict_umask()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
application = get_wsgi_application()
