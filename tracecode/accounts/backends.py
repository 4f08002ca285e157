from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.views.decorators.debug import sensitive_variables

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's user-and-password check behind the sign-in lockout.

    Every caller of `authenticate()` (the sign-in page, a password change, any future API
    path) passes through here, so none can skip the lockout.
    """

    @sensitive_variables("password")
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if not throttle.reserve(username, throttle.client_address(request)):
            raise PermissionDenied  # stops authenticate(): no other backend compares it either
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            throttle.clear(username)
        return user

    @sensitive_variables("password")
    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own async version would compare the password without the lockout.
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)
