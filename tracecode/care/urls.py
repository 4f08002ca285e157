from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("credit/<str:code>/", views.credit_page, name="credit"),
    path("credit/<str:code>/assess/", views.credit_assess, name="assess"),
    path("release/<str:code>/", views.credit_release, name="release"),
]
