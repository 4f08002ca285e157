from django.contrib import admin
from django.urls import include, path

from tracecode.api import api

urlpatterns = [
    path("", include("tracecode.web.urls")),
    path("accounts/", include("tracecode.accounts.urls")),
    path("customers/", include("tracecode.customers.urls")),
    path("search/", include("tracecode.search.urls")),
    path("codes/", include("tracecode.codes.urls")),
    path("sales/", include("tracecode.sales.urls")),
    path("registers/", include("tracecode.registers.urls")),
    path("mail/", include("tracecode.mail.urls")),
    path("enquiries/", include("tracecode.enquiries.urls")),
    path("files/", include("tracecode.files.urls")),
    path("everything/", include("tracecode.records.urls")),
    path("backups/", include("tracecode.backups.urls")),
    path("", include("tracecode.labels.urls")),
    path("inbox/", include("tracecode.inbox.urls")),
    path("reports/", include("tracecode.reports.urls")),
    path("leads/", include("tracecode.leads.urls")),
    path("care/", include("tracecode.care.urls")),
    path("survey/", include("tracecode.care.public_urls")),  # customers, without signing in
    path("imports/", include("tracecode.imports.urls")),
    path("company/", include("tracecode.company.urls")),
    path("contracts/", include("tracecode.contracts.urls")),
    path("payments/", include("tracecode.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "tracecode.web.views.bad_request"
handler403 = "tracecode.web.views.permission_denied"
handler404 = "tracecode.web.views.not_found"
handler500 = "tracecode.web.views.server_error"
