"""The `tracecode` command: Django's management commands under the product's name."""

import os
import sys

from tracecode.private_files import restrict_umask


def main() -> None:
    """Run `tracecode <command> …` as `manage.py <command> …`."""
    restrict_umask()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tracecode", *sys.argv[1:]])


if __name__ == "__main__":
    main()
