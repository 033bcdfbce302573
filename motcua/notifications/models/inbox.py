from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class InboxMessage(TimeStampedModel):
    """A message in a citizen's portal inbox: the channel every citizen has.

    Other channels (SMS, Zalo, e-mail) deliver the same events; the inbox always gets one, so a
    citizen who missed a text can still read it when signed in.
    """

    person = models.ForeignKey("core.Person", verbose_name=_("công dân"), on_delete=models.CASCADE, related_name="inbox")
    # The event that caused it, e.g. "dossier.received"; with subject_* it names what it is about.
    event = models.CharField(_("sự kiện"), max_length=64)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # One message per event occurrence: a retried action never writes a second one.
    dedupe_key = models.CharField(max_length=128, unique=True)

    class Meta:
        verbose_name = _("thư trong hộp thư")
        verbose_name_plural = _("hộp thư công dân")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return self.title
