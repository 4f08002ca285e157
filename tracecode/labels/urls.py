from django.urls import path

from . import views

app_name = "labels"

urlpatterns = [
    # What a label's QR holds: <site>/go/<code> (short: the fewer characters, the larger the
    # modules of the QR on a small label).
    path("go/<str:code>", views.go, name="go"),
    path("go/<str:code>/", views.go),
    path("labels/<str:source>/<str:key>/", views.print_labels, name="print"),
    path("labels/<str:source>/<str:key>/pdf", views.labels_pdf, name="pdf"),
]
