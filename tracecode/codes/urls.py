from django.urls import path

from . import views

app_name = "codes"

urlpatterns = [
    path("explain/", views.explain, name="explain"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/load/", views.load, name="load"),
    path("schemes/<slug:name>/", views.scheme_detail, name="scheme"),
    path("schemes/<slug:name>/next/", views.set_next, name="set_next"),
]
