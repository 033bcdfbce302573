from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleCounter(models.Model):
    """One rate-limit counter (sign-in, lookup, field reports...). Written only by `motcua.core.throttle`,
    each change one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement, so parallel requests
    never read-then-write. Times are epoch milliseconds so the same SQL runs on SQLite and PostgreSQL."""

    key = models.CharField(max_length=200, unique=True)
    count = models.IntegerField(default=0)
    window_ends = models.BigIntegerField()
    # Growing delay (seconds) of a back-off counter, and the moment the next attempt is allowed.
    delay = models.IntegerField(default=0)
    blocked_until = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")
        indexes = [models.Index(fields=["window_ends"], name="core_throttle_window_idx")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
