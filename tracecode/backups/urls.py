from django.urls import path

from . import views

app_name = "backups"
urlpatterns = [
    path("", views.backup_list, name="list"),
    path("now/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/download/", views.download, name="download"),
]
