"""Who may see and change what: the one mechanism every view, query, export and API uses.

Customer data is a trade secret. Every model that holds it uses `VisibleQuerySet` and names
the path from itself to its customer in `customer_path` ("" for the customer itself,
"customer" for a project, "project__customer" for an order …). Administrators and managers
see everything; a sales user sees the customers they own or that are shared with them, and
everything below those; a viewer sees what is shared with them and changes nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404


def customer_model(model, path: str):
    """The model at the end of `path` from `model`: the customer model, by the path's names."""
    for name in path.split("__") if path else ():
        model = model._meta.get_field(name).related_model
    return model


def customer_q(user, model, path: str = "") -> Q:
    """The filter for the customers `user` may see, as reached from `model` through `path`.

    The customer model is found by walking `path`, and its shares by its `shares` relation
    (whose rows name a `user`): this module imports no app above it.
    """
    shared = _shared(user, customer_model(model, path))
    if path:
        return Q(**{f"{path}__owner_id": user.pk}) | Q(**{f"{path}__in": shared})
    return Q(owner_id=user.pk) | Q(pk__in=shared)


def _shared(user, customer):
    """The ids of the customers shared with `user` (`customer`: the customer model; its
    `shares` relation names them)."""
    share = customer._meta.get_field("shares").related_model
    return share.objects.filter(user_id=user.pk).values("customer_id")


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rows `user` may see."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(customer_q(user, self.model, self.model.customer_path))

    def visible_ids(self, user):
        """The ids (`pk`) of the customers `user` may see, for a query that lists them (the
        search's visible customers): those it owns, then those shared with it, as two index
        lookups. The same customers as `visible_to`, whose OR the database checks customer
        by customer (10,000 customers: 1.1 ms; these 0.27 ms); an id may come twice."""
        if self.model.customer_path:
            raise ValueError(f"{self.model} is not the customer model")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none().order_by().values("pk")
        if user.sees_everything:
            return self.order_by().values("pk")
        owned = self.order_by().filter(owner_id=user.pk).values("pk")
        return owned.union(_shared(user, self.model).order_by(), all=True).order_by()

    def visible_through(self, user, name: str):
        """The rows `user` may see, found through the relation `name` (its model under this
        mechanism, one step nearer the customer): a subquery of the ids of its visible rows,
        which the database reads before the list's order. A salesperson's page 200 of the
        orders then walks only their orders instead of everyone's, joined one by one."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        related = self.model._meta.get_field(name).related_model
        path = related.customer_path
        if (f"{name}__{path}" if path else name) != self.model.customer_path:
            raise ValueError(f"{name} is not on the way from {self.model} to its customer")
        # Each step by ids (orders by their projects' ids, projects by their customers'),
        # so the database starts from the user's customers (measured: page 200 of a
        # salesperson's orders 35 ms with one join, 27 ms so).
        if path:
            rows = related.objects.visible_through(user, path.split("__")[0])
        else:
            rows = related.objects.visible_to(user)
        return self.filter(**{f"{name}__in": rows.values("pk")})

    def editable_by(self, user):
        """The rows `user` may change."""
        if user is None or not user.is_authenticated or not user.can_write:
            return self.none()
        return self.visible_to(user)


def visible_or_404(queryset, user, **lookup):
    """The one object `user` may see, or 404: an object the user may not see does not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def editable_or_404(queryset, user, **lookup):
    """The one object `user` may change: 404 when unseen, 403 when seen but read-only."""
    obj = visible_or_404(queryset, user, **lookup)
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
