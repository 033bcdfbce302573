from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class EventLogEntry(models.Model):
    """One line of an append-only history (a dossier's, a report's): when, what was done, and
    the note written with it. The concrete model adds what the line is about and who did it."""

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    action = models.CharField(_("thao tác"), max_length=32)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        abstract = True


def set_null_fk(to, verbose_name=None, **options) -> models.ForeignKey:
    """An optional link (null and blank allowed) that is cleared when the row it points to is deleted."""
    return models.ForeignKey(to, verbose_name=verbose_name, null=True, blank=True, on_delete=models.SET_NULL, **options)


def set_null_one_to_one(to, verbose_name=None, **options) -> models.OneToOneField:
    """`set_null_fk` for a link to at most one row: optional, cleared when that row is deleted."""
    return models.OneToOneField(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=models.SET_NULL, **options
    )


def optional_fk(to, verbose_name=None, *, on_delete, **options) -> models.ForeignKey:
    """An optional link (null and blank allowed) that keeps `on_delete` for the row it points to
    (PROTECT: that row cannot go while linked; CASCADE: this row goes with it)."""
    return models.ForeignKey(to, verbose_name=verbose_name, null=True, blank=True, on_delete=on_delete, **options)


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
