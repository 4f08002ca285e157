"""The one search function behind the header box, the results page and the API."""

from django.db.models import Q

from tracecode.customers.models import Customer

LIMIT = 20


def search(user, query: str, limit: int = LIMIT) -> dict[str, list]:
    """What `user` may see that matches `query`, grouped by kind."""
    query = query.strip()
    if not query:
        return {}
    customers = (
        Customer.objects.visible_to(user)
        .filter(Q(code__istartswith=query) | Q(company_name__icontains=query))
        .order_by("code")[:limit]
    )
    groups = {"customers": list(customers)}
    return {kind: hits for kind, hits in groups.items() if hits}
