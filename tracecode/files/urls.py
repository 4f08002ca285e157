from django.urls import path

from . import views

app_name = "files"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/view/", views.view, name="view"),
    path("of/<str:code>/", views.file_list, name="list"),
    path("of/<str:code>/upload/", views.upload, name="upload"),
    path("of/<str:code>/zip/", views.folder_zip, name="zip"),
]
