from django.urls import path
from django.views.generic import RedirectView

from . import from_quotation, shipping, views

app_name = "sales"

urlpatterns = [
    path("", views.order_list, name="orders"),
    # The Everything page moved to /everything/<code>/ (tracecode.records): links still work.
    path(
        "everything/<str:code>/",
        RedirectView.as_view(pattern_name="records:everything", permanent=True),
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<str:code>/", views.project_detail, name="project"),
    path("projects/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("projects/<str:code>/move/<str:action>/", views.project_move, name="project_move"),
    path("projects/<str:code>/quotations/new/", views.quotation_create, name="quotation_create"),
    path("projects/<str:code>/orders/new/<str:kind>/", views.order_create, name="order_create"),
    path("quotations/<str:code>/", views.quotation_detail, name="quotation"),
    path("quotations/<str:code>/edit/", views.quotation_edit, name="quotation_edit"),
    path("quotations/<str:code>/issue/", views.quotation_issue, name="quotation_issue"),
    path("quotations/<str:code>/status/", views.quotation_status, name="quotation_status"),
    path(
        "quotations/<str:code>/revisions/<int:number>/pdf/",
        views.revision_download,
        name="revision_pdf",
    ),
    path(
        "quotations/<str:code>/revisions/<int:number>/order/",
        from_quotation.order_from_revision,
        name="revision_order",
    ),
    path("orders/<str:code>/", views.order_detail, name="order"),
    path("orders/<str:code>/edit/", views.order_edit, name="order_edit"),
    path("orders/<str:code>/move/<str:action>/", views.order_move, name="order_move"),
    path(
        "orders/<str:code>/checkpoints/<str:name>/",
        views.order_checkpoint,
        name="order_checkpoint",
    ),
    path("orders/<str:code>/payments/", views.order_payment, name="order_payment"),
    path("orders/<str:code>/documents/", views.order_document, name="order_document"),
    path("orders/<str:code>/shipping/", shipping.shipping, name="order_shipping"),
    path("orders/<str:code>/bom/", views.order_bom, name="order_bom"),
    path("orders/<str:code>/lots/", views.order_lot, name="order_lot"),
    path("orders/<str:code>/repairs/", views.order_repair, name="order_repair"),
    path("orders/<str:code>/complaints/new/", views.complaint_create, name="complaint_create"),
    path("lots/<int:pk>/inspect/", views.lot_inspect, name="lot_inspect"),
    path("documents/<int:pk>/<str:fmt>/", views.document_download, name="document"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<str:number>/", views.complaint_detail, name="complaint"),
    path("complaints/<str:number>/reopen/", views.complaint_reopen, name="complaint_reopen"),
]
