"""The `tracecode` command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    """Run `tracecode <command> …` as `manage.py <command> …`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tracecode", *sys.argv[1:]])


if __name__ == "__main__":
    main()
