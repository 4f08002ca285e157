from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tracecode.accounts.visibility import visible_or_404

from .models import Customer


@login_required
def customer_list(request):
    customers = Customer.objects.visible_to(request.user).select_related("owner")
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    return render(request, "customers/list.html", {"page": page})


@login_required
def customer_detail(request, code: str):
    customer = visible_or_404(Customer.objects.select_related("owner"), request.user, code=code)
    return render(request, "customers/detail.html", {"customer": customer})
