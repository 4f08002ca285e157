import pytest

from conftest import make_user

pytestmark = pytest.mark.django_db


def test_only_administrators_open_the_admin_site(client_of, administrator, manager, alice):
    assert client_of(administrator).get("/admin/").status_code == 200
    for user in (manager, alice):
        response = client_of(user).get("/admin/")
        assert response.status_code == 302  # Django's admin sends others to its own sign-in


def test_a_superuser_made_by_createsuperuser_is_an_administrator():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-123")
    assert user.role == "admin"
    assert user.is_administrator and user.sees_everything


def test_demoting_an_administrator_closes_the_admin_site():
    user = make_user("former", "admin")
    user.role = "sales"
    user.save()
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser


def test_what_each_role_may_do():
    rows = {
        role: (u.sees_everything, u.can_write)
        for role in ("admin", "manager", "sales", "viewer")
        for u in [make_user(f"u-{role}", role)]
    }
    assert rows == {
        "admin": (True, True),
        "manager": (True, True),
        "sales": (False, True),
        "viewer": (False, False),
    }
