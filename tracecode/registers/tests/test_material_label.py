"""A material's label: its code as QR and Code128, its full name, from its own page."""

import pytest

from tracecode.labels.tests.helpers import decoded, page_text

from .factories import make_material

pytestmark = pytest.mark.django_db


def test_a_material_label_scans_to_the_material(client_of, alice):
    material = make_material(name="CPIDE131218DA1", specification="Adhesive base 12.5 µm")
    page = client_of(alice).get(f"/everything/{material.code}/").content.decode()
    assert f"/labels/material/{material.code}/" in page
    response = client_of(alice).get(
        f"/labels/material/{material.code}/pdf", {"size": "roll", "count": "1"}
    )
    assert response.status_code == 200
    text = page_text(response.content, 0)
    assert material.code in text and "CPIDE131218DA1" in text and "Adhesive base" in text
    assert decoded(response.content)[0] == [
        ("Code128", material.code),
        ("QRCode", f"http://testserver/go/{material.code}"),
    ]
