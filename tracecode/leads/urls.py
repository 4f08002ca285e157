from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_create, name="create"),
    path("<str:code>/", views.lead_detail, name="detail"),
    path("<str:code>/edit/", views.lead_edit, name="edit"),
    path("<str:code>/<str:action>/", views.lead_move, name="move"),
]
