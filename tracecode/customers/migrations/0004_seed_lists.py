"""The lists of the customer sheet, seeded with SPEC §3's values in English and Chinese
(see lists.py); administrators extend them in the admin site. Also fills the duplicate-check
key of customers saved before it existed."""

from django.db import migrations


def seed(apps, schema_editor):
    from tracecode.customers.duplicates import company_key
    from tracecode.customers.lists import seed as seed_lists

    seed_lists(lambda name: apps.get_model("customers", name))
    Customer = apps.get_model("customers", "Customer")
    for customer in Customer.objects.filter(name_key=""):
        customer.name_key = company_key(customer.company_name)
        customer.save(update_fields=["name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0003_customer_sheet"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
