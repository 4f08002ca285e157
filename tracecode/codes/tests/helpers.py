from django.db import transaction

from tracecode.codes import services


def give(scheme: str, **kwargs) -> str:
    """Allocate one code in its own transaction, as a record's save would."""
    with transaction.atomic():
        return services.allocate(scheme, **kwargs).code


def load(text: str) -> list[str]:
    return services.load_scheme_file(text)
