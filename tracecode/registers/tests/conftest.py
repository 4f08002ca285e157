from .factories import keeper  # noqa: F401  (a fixture)
