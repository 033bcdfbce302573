from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import set_null_fk


class AuditEvent(models.Model):
    """Who did what to which record, and when. Written by services, never edited."""

    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    actor = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), related_name="+")
    action = models.CharField(_("hành động"), max_length=64)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"
