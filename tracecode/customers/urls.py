from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("duplicates/", views.duplicates, name="duplicates"),
    # The export is the imports app's, with the columns its import reads back.
    path(
        "export.<str:fmt>",
        RedirectView.as_view(pattern_name="imports:export", query_string=True),
        {"sheet": "customers"},
        name="export",
    ),
    path("<str:code>/", views.customer_detail, name="detail"),
    path("<str:code>/edit/", views.customer_edit, name="edit"),
    path("<str:code>/follow-up/", views.follow_up, name="follow_up"),
    path("<str:code>/sharing/", views.sharing, name="sharing"),
    path("<str:code>/archive/", views.archive, name="archive"),
    path("<str:code>/restore/", views.restore, name="restore"),
    path("<str:code>/delete/", views.delete, name="delete"),
    path("<str:code>/log/", views.log_entry, name="log"),
    path("<str:code>/contacts/new/", views.contact_create, name="contact_create"),
    path("<str:code>/contacts/<str:contact_code>/edit/", views.contact_edit, name="contact_edit"),
    path("<str:code>/contacts/<str:contact_code>/main/", views.contact_main, name="contact_main"),
]
