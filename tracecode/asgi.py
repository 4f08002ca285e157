"""ASGI entry point: `uvicorn tracecode.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

from tracecode.private_files import restrict_umask

restrict_umask()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
application = get_asgi_application()
