"""A customer's derived sales figures."""

from django.conf import settings

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import answers
from tracecode.customers.models import Customer

from ..figures import customer_figures
from . import router
from .schemas import SalesFiguresOut


@router.get(
    "/figures/{code}",
    response=answers(SalesFiguresOut, 404, 422),
    summary="A customer's derived figures",
)
def figures(request, code: str):
    customer = visible_or_404(Customer.objects, request.user, code=code)
    result = customer_figures(customer)
    return SalesFiguresOut(
        customer=customer.code,
        quotes=result.quotes,
        first_quotation=result.first_quotation,
        first_cooperation=result.first_cooperation,
        orders_per_year=result.orders_per_year,
        order_value_12m=result.order_value_12m,
        base_currency=settings.BASE_CURRENCY,
        open_complaints=[c.number for c in result.open_complaints],
        has_orders=result.has_orders,
    )
