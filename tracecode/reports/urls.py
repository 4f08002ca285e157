from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan, name="plan"),
    path("plan/<str:month>/", views.plan_month, name="plan_month"),
    path("plan/<str:month>.xlsx", views.plan_export, name="plan_export"),
    path("plan/<str:month>/targets/", views.save_targets, name="targets"),
    path("plan/<str:month>/close/", views.close, name="close"),
    path("<str:name>/", views.report_page, name="report"),
    path("<str:name>.xlsx", views.report_export, name="export"),
]
