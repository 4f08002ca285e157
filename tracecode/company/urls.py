from django.urls import path

from . import views

app_name = "company"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("accounts/new/", views.account, name="account_new"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/delete/", views.delete_account, name="account_delete"),
]
