from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold

from .base import Era, FoldedTextMixin, TimeStampedModel, optional_fk


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    CITY = "city", _("Thành phố trực thuộc trung ương")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    LEGACY_DISTRICT = "legacy_district", _("Quận, huyện, thị xã, thành phố (cũ)")
    LEGACY_TOWNSHIP = "legacy_township", _("Thị trấn (cũ)")


PROVINCE_KINDS = {UnitKind.PROVINCE, UnitKind.CITY}
COMMUNE_KINDS = {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}


class Unit(FoldedTextMixin, TimeStampedModel):
    """An administrative unit (đơn vị hành chính), current or legacy.

    Current units form a two-level tree (province -> commune/ward/special zone). Legacy units
    keep their own three-level tree and are linked to the current units that replaced them.
    """

    folded_fields = {"name_folded": lambda unit: fold(unit.name)}

    era = models.CharField(_("thời kỳ"), max_length=8, choices=Era.choices, default=Era.CURRENT)
    code = models.CharField(_("mã"), max_length=16)
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = optional_fk("self", _("trực thuộc"), on_delete=models.PROTECT, related_name="children")
    # For current units: the legacy units merged into this one (from vietnam-provinces).
    legacy_sources = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("đơn vị cũ được sắp xếp vào"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["era", "code"], name="unit_era_code_unique")]
        indexes = [models.Index(fields=["era", "parent", "name_folded"])]
        ordering = ["era", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_province(self) -> bool:
        return self.kind in PROVINCE_KINDS


class HamletKind(models.TextChoices):
    AP = "ap", _("Ấp")
    KHOM = "khom", _("Khóm")
    THON = "thon", _("Thôn")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")


class Hamlet(TimeStampedModel):
    """A neighbourhood below the commune (ấp, khóm). Our own data, not in the national codes."""

    unit = models.ForeignKey(Unit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="hamlets")
    kind = models.CharField(_("loại"), max_length=12, choices=HamletKind.choices, default=HamletKind.AP)
    name = models.CharField(_("tên"), max_length=120)
    code = models.CharField(_("mã"), max_length=32, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("ấp, khóm")
        verbose_name_plural = _("ấp, khóm")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="hamlet_unit_name_unique")]
        ordering = ["unit_id", "name"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.name}" if not self.name.lower().startswith(("ấp", "khóm")) else self.name
        )
