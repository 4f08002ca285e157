"""Migrate a scratch database in a process where it is the default database.

    echo '{"database": {...settings...}, "targets": [["customers", "0004_seed_lists"], ...]}' \\
        | python -m tracecode.backups.migrate

`targets` null migrates to the latest with the post-migrate signals, as `tracecode migrate`
does; a list migrates exactly to those migrations (a portable archive's own state) and sends
no signal, so nothing but the migrations themselves writes rows.
"""

import json
import os
import sys


def main() -> None:
    job = json.load(sys.stdin)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracecode.settings")
    from django.conf import settings

    settings.DATABASES["default"] = job["database"]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if job["targets"] is None:
        call_command("migrate", verbosity=0, interactive=False)
        return
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    executor.migrate([tuple(target) for target in job["targets"]])


if __name__ == "__main__":
    main()
