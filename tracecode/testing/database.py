"""The test database as a URL, for the processes and servers a test starts beside itself."""

from urllib.parse import quote


def database_url(connection) -> str:
    """TRACECODE_DATABASE_URL of the database `connection` uses (the test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"], safe="") + (
        f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    )
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
