"""JSON lines for the log (LOG_FORMAT=json): one object per line, for a log shipper.

Fields: `time` (UTC, ISO 8601), `level`, `logger`, `message`, `request_id`, and
`exception` (the formatted traceback) when there is one. Anything passed in `extra=`
that JSON can hold is added under its own name.
"""

import json
import logging
from datetime import datetime, timezone

# Attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request_id"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        for name, value in record.__dict__.items():
            if name not in STANDARD and name not in entry and not name.startswith("_"):
                try:
                    json.dumps(value)
                except (TypeError, ValueError):
                    value = repr(value)
                entry[name] = value
        return json.dumps(entry, ensure_ascii=False)
