"""Logging filters named by settings.LOGGING."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is the app refusing as it should, not a fault: one line, without the traceback
    of the PermissionDenied that Django logs with it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
