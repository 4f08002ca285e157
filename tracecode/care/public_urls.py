"""The survey page customers open from their mail, without signing in."""

from django.urls import path

from . import public

urlpatterns = [path("<str:token>/", public.survey, name="survey")]
