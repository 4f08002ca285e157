from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_form, name="export_form"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_run, name="export_run"),
    path("exports/<int:pk>/file", views.export_file, name="export_file"),
    path("<int:pk>/", views.run_detail, name="run"),
    path("<int:pk>/mapping/", views.run_mapping, name="mapping"),
    path("<int:pk>/import/", views.run_commit, name="commit"),
    path("<int:pk>/undo/", views.run_undo, name="undo"),
    path("<int:pk>/errors.xlsx", views.run_failing, name="failing"),
    path("<int:pk>/file/", views.run_file, name="file"),
    path("<str:sheet>/template.xlsx", views.template, name="template"),
    path("<str:sheet>/example.xlsx", views.example, name="example"),
    path("<str:sheet>/export.<str:fmt>", views.export, name="export"),
]
