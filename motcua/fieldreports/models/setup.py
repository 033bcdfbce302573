"""What the province configures: categories, where reports go, the area it serves, Open311 clients."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class ReportCategory(TimeStampedModel):
    """A kind of problem (lĩnh vực phản ánh), in a tree; leaves are what citizens pick."""

    parent = models.ForeignKey(
        "self", verbose_name=_("nhóm cha"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Stable code, also the Open311 service_code.
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    # Working days to answer, counted with the province's calendar.
    deadline_days = models.DecimalField(_("thời hạn (ngày làm việc)"), max_digits=4, decimal_places=1, default=5)
    allows_urgent = models.BooleanField(_("cho phép báo khẩn"), default=False)
    # Urgent reports (a fallen tree on the road, a broken water main) are due in hours, round the clock.
    urgent_hours = models.PositiveSmallIntegerField(_("thời hạn khẩn (giờ)"), default=24)
    # Extra questions for the Open311 service definition and the form: [{"code", "label", "datatype",
    # "required", "values": [{"key", "name"}]}]; datatype as Open311 (string, number, text, singlevaluelist, ...).
    attributes = models.JSONField(_("thông tin bổ sung"), default=list, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(TimeStampedModel):
    """Which agency handles a category in a unit. Most specific wins (category+unit, then
    category alone, then unit alone); with no rule, the commune's People's Committee."""

    category = models.ForeignKey(
        ReportCategory, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("quy tắc chuyển phản ánh")
        verbose_name_plural = _("quy tắc chuyển phản ánh")
        constraints = [models.UniqueConstraint(fields=["category", "unit"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.unit or '*'} → {self.agency}"


class ServiceArea(TimeStampedModel):
    """The area the province serves: a GeoJSON Polygon/MultiPolygon in WGS 84 (lon, lat).

    Reports placed outside every active area are refused.
    """

    unit = models.OneToOneField("core.Unit", verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="service_area")
    geometry = models.JSONField(_("ranh giới (GeoJSON)"))
    # The map opens here.
    center_lat = models.FloatField(_("vĩ độ tâm"))
    center_lon = models.FloatField(_("kinh độ tâm"))
    zoom = models.PositiveSmallIntegerField(_("mức phóng"), default=9)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("địa bàn phản ánh")
        verbose_name_plural = _("địa bàn phản ánh")

    def __str__(self) -> str:
        return str(self.unit)


class Open311Client(TimeStampedModel):
    """A system allowed to POST requests through Open311 with its api_key."""

    name = models.CharField(_("tên hệ thống"), max_length=120)
    # sha256 of the key; the key itself is shown once when created.
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    contact = models.CharField(_("liên hệ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ứng dụng Open311")
        verbose_name_plural = _("ứng dụng Open311")

    def __str__(self) -> str:
        return self.name
