"""The site's URLs with /api/search mounted on a test API that has the site API's auth and
error handlers, until tracecode/api.py registers the router (then this is the same)."""

from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tracecode import api as site_api
from tracecode.search.api import router
from tracecode.urls import urlpatterns as site_urls

api = NinjaAPI(auth=site_api.api.auth, urls_namespace="search-test-api")
for error, handler in [
    (ValidationError, site_api.on_validation_error),
    (AuthenticationError, site_api.on_unauthenticated),
    (site_api.ApiError, site_api.on_api_error),
    (HttpError, site_api.on_http_error),
]:
    api.add_exception_handler(error, handler)
api.add_router("/search", router)

urlpatterns = [path("api/", api.urls), *site_urls]
