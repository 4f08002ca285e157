from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tracecode.accounts.visibility import visible_or_404

from .models import Customer

router = Router(tags=["customers"])


class CustomerOut(Schema):
    code: str
    company_name: str
    owner: str
    created_at: datetime

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.username


@router.get("/", response=list[CustomerOut], summary="Customers you may see")
@paginate(LimitOffsetPagination)
def list_customers(request):
    return Customer.objects.visible_to(request.user).select_related("owner")


@router.get("/{code}", response=CustomerOut, summary="One customer by code")
def get_customer(request, code: str):
    return visible_or_404(Customer.objects.select_related("owner"), request.user, code=code)
