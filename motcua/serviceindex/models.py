"""The service index as data (definition → groups → sub-indicators) and its monthly rollups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class IndexDefinition(TimeStampedModel):
    """One version of the index (its legal basis); a period uses the version effective at its start."""

    name = models.CharField(_("tên bộ chỉ số"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class IndexGroup(models.Model):
    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(_("mã nhóm"), max_length=32)
    name = models.CharField(_("tên nhóm"), max_length=255)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("nhóm chỉ số")
        verbose_name_plural = _("nhóm chỉ số")
        constraints = [models.UniqueConstraint(fields=["definition", "code"], name="index_group_code_unique")]

    def __str__(self) -> str:
        return self.name


class SubIndicator(models.Model):
    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("mã chỉ số"), max_length=32)
    name = models.CharField(_("tên chỉ số"), max_length=500)
    # A key into `measures.MEASURES` (the code that counts numerator and denominator).
    measure = models.CharField(_("phép đo"), max_length=32)
    target_rate = models.DecimalField(_("tỷ lệ mục tiêu (%)"), max_digits=5, decimal_places=2)
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    needs_review = models.BooleanField(_("cần rà soát"), default=True)
    source_note = models.CharField(_("nguồn, ghi chú"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="index_indicator_code_unique")]

    def __str__(self) -> str:
        return self.name


class IndexRollup(models.Model):
    """Numerator and denominator of one dossier measure for one receiving agency and month.

    Kept in step with every dossier status change (`services.dossier_status_changed`) and rebuilt
    from the records by `manage.py rebuild_index_rollups`. `unit` is the agency's unit (its commune)."""

    month = models.DateField()
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=32)
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)
    # Weighted measures only (`measures.WEIGHTED_MEASURES`): the sums of the marks' weights, whose
    # ratio is the rate scored (avg_time: minutes allowed / minutes used). 0 for the others.
    weight_numerator = models.BigIntegerField(default=0, db_default=0)
    weight_denominator = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "measure"], name="index_rollup_unique"),
        ]
        indexes = [models.Index(fields=["month", "measure"], name="index_rollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.measure} {self.agency_id} {self.month:%m/%Y}: {self.numerator}/{self.denominator}"


class IndexMark(models.Model):
    """The cell one dossier is counted in for one dossier measure (agency, month) and whether in its
    numerator: what the rollups hold for this dossier. A dossier event compares it with the dossier's
    state now and adds the difference to the cells (`services.dossier_cells_refresh`); the rebuild
    writes the marks from the records and the rollups from the marks. No row: not counted."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+", db_index=False)
    measure = models.CharField(max_length=32)
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    numerator = models.BooleanField(default=False)
    # Weighted measures only: this dossier's weights (`measures.time_weights`); 0 for the others.
    weight_numerator = models.BigIntegerField(default=0, db_default=0)
    weight_denominator = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "measure"], name="index_mark_unique")]
        indexes = [models.Index(fields=["month"], name="index_mark_month_idx")]

    def __str__(self) -> str:
        return f"{self.measure} {self.dossier_id} {self.month:%m/%Y}{' ✓' if self.numerator else ''}"
