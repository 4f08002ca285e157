from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "registers"

urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="registers:parts")), name="index"),
    path("parts/", views.part_list, name="parts"),
    path("parts/new/", views.part_create, name="part_create"),
    path("parts/prices/", views.part_prices, name="part_prices"),
    path("parts/<str:code>/", views.part_detail, name="part"),
    path("parts/<str:code>/edit/", views.part_edit, name="part_edit"),
    path("materials/", views.material_list, name="materials"),
    path("materials/new/", views.material_create, name="material_create"),
    path("materials/classes/", views.classes, name="classes"),
    path("materials/<str:code>/", views.material_detail, name="material"),
    path("materials/<str:code>/edit/", views.material_edit, name="material_edit"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<str:code>/", views.supplier_detail, name="supplier"),
    path("suppliers/<str:code>/edit/", views.supplier_edit, name="supplier_edit"),
]
