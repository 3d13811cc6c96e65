"""Rows that are written once and never changed: the ledger, consent records, the audit log."""

from django.db import models


class AppendOnly(models.Model):
    """Saving an existing row raises; `correction` tells the caller what to do instead."""

    correction = "write a new row instead"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{str(self._meta.verbose_name_plural).capitalize()} are append-only: {self.correction}.")
        super().save(*args, **kwargs)
