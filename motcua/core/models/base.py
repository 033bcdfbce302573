from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class FoldedTextMixin:
    """Keeps diacritics-folded copies of text fields for search, in step with the originals.

    A model lists `folded_fields` as {folded field: function of the instance}; save() fills
    them, including when it is called with update_fields.
    """

    folded_fields: dict = {}

    def save(self, *args, **kwargs):
        for name, compute in self.folded_fields.items():
            setattr(self, name, compute(self))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.folded_fields}
        super().save(*args, **kwargs)


class Era(models.TextChoices):
    """Which generation of administrative units a code belongs to.

    Codes were reused across the 2025 reform, so a code alone is ambiguous: the era always
    travels with it.
    """

    CURRENT = "2025", _("Từ 01/7/2025 (hai cấp)")
    LEGACY = "legacy", _("Trước 01/7/2025 (ba cấp)")
