from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("<str:code>/", views.everything, name="everything"),
    path("<str:code>/more/<str:kind>/", views.more, name="more"),
]
