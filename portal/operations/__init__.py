"""Operations records: when each scheduled Celery job last ran and succeeded (for /health/)."""
