from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("orders/<str:code>/receive/", views.receive, name="receive"),
    path("orders/<str:code>/write-off/", views.write_off, name="write_off"),
    path("orders/<str:code>/use-credit/", views.use_credit, name="use_credit"),
    path("<int:pk>/edit/", views.change, name="change"),
    path("customers/<str:code>/", views.balance, name="balance"),
]
