from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel, optional_fk


class AgencyKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("UBND tỉnh")
    PROVINCE_CENTRE = "province_centre", _("Trung tâm Phục vụ hành chính công tỉnh")
    DEPARTMENT = "department", _("Sở, ngành tỉnh")
    PROVINCE_POLICE = "province_police", _("Công an tỉnh")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND xã, phường, đặc khu")
    COMMUNE_POLICE = "commune_police", _("Công an xã, phường, đặc khu")
    OTHER = "other", _("Cơ quan khác")


class Agency(TimeStampedModel):
    """A public body that receives or processes dossiers (cơ quan, đơn vị)."""

    # The identifier printed in dossier codes, e.g. "000.00.20.H12" (national agency code list).
    code = models.CharField(_("mã định danh"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=24, choices=AgencyKind.choices)
    unit = models.ForeignKey("core.Unit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="agencies")
    parent = optional_fk("self", _("cơ quan cấp trên"), on_delete=models.PROTECT, related_name="children")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OneStopOffice(TimeStampedModel):
    """The one-stop reception desk (bộ phận một cửa) of an agency."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(_("tên"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    opening_hours = models.CharField(
        _("giờ làm việc"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["agency__code", "name"]

    def __str__(self) -> str:
        return self.name


class Counter(TimeStampedModel):
    """One desk (quầy) inside a one-stop office."""

    office = models.ForeignKey(
        OneStopOffice, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên"), max_length=120)
    fields = models.ManyToManyField("catalog.Field", verbose_name=_("lĩnh vực phụ trách"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_office_number_unique")]
        ordering = ["office_id", "number"]

    def __str__(self) -> str:
        return f"{self.office} – {self.name}"
