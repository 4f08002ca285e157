from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("orders/<str:code>/issue/", views.issue, name="issue"),
    path("<str:kind>/<str:code>/signed/", views.signed, name="signed"),
    path("<str:kind>/<str:code>/file/<str:fmt>/", views.file, name="file"),
    path("<str:code>/amend/", views.amend, name="amend"),
    path("<str:code>/", views.detail, name="detail"),
]
