from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """The last run of one periodic job: the slot it claimed and how it ended.

    A scheduler claims a slot with one conditional UPDATE (`slot < this slot`), so two schedulers
    never run a job twice for the same slot, on SQLite or PostgreSQL.
    """

    name = models.CharField(_("công việc"), max_length=64, unique=True)
    slot = models.DateTimeField(_("lượt đã nhận"), null=True, blank=True)
    claimed_by = models.CharField(_("bộ lập lịch"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    succeeded = models.BooleanField(_("thành công"), null=True)
    output = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("công việc định kỳ")
        verbose_name_plural = _("công việc định kỳ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
