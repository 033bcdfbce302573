from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AgencyKind, TimeStampedModel
from motcua.core.text import format_vnd

from ..formschema import form_schema_clean, validate_form_schema


class Field(TimeStampedModel):
    """A sector (lĩnh vực) procedures belong to: Hộ tịch, Đất đai, …"""

    slug = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:field", args=[self.slug])


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ResultSignature(models.TextChoices):
    """Who must sign the result document digitally before it is returned (set per procedure in the catalog)."""

    NONE = "none", _("Không yêu cầu ký số")
    LEADER = "leader", _("Lãnh đạo ký số")
    LEADER_AND_SEAL = "leader_and_seal", _("Lãnh đạo ký số và đóng dấu số của cơ quan")


class Procedure(TimeStampedModel):
    """An administrative procedure (thủ tục hành chính) as published to citizens.

    `valid_from` dates the data: when the law changes, the procedure's data is updated with a
    new date, and each dossier keeps a snapshot of the version it was received under.
    """

    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True, help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC"))
    key = models.SlugField(_("mã ngắn"), max_length=64, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=AgencyLevel.choices)
    agency_kind = models.CharField(_("cơ quan thực hiện"), max_length=24, choices=AgencyKind.choices)
    agency_note = models.CharField(_("ghi chú cơ quan thực hiện"), max_length=500, blank=True)
    time_limit_days = models.DecimalField(
        _("thời hạn giải quyết (ngày làm việc)"), max_digits=5, decimal_places=1,
        help_text=_("0 nghĩa là giải quyết ngay trong ngày"),
    )
    time_limit_text = models.CharField(_("thời hạn giải quyết (diễn giải)"), max_length=500, blank=True)
    on_the_spot = models.BooleanField(_("giải quyết ngay khi nhận đủ hồ sơ"), default=False)
    fee_text = models.TextField(_("phí, lệ phí (diễn giải)"), blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices)
    result_type = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_signature = models.CharField(
        _("ký số kết quả"), max_length=16, choices=ResultSignature.choices, default=ResultSignature.NONE,
        help_text=_("Khi phê duyệt, văn bản kết quả được ký số bằng chứng thư của lãnh đạo (và con dấu số của cơ quan)"),
    )
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=500)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    valid_from = models.DateField(_("dữ liệu có hiệu lực từ"))
    check_notes = models.TextField(
        _("cần kiểm tra lại"), blank=True,
        help_text=_("Những giá trị cần đối chiếu với văn bản pháp luật hiện hành"),
    )
    # Words citizens use for this procedure ("giấy khai sinh", "sổ đỏ"), used by search.
    keywords = models.CharField(_("từ khóa thường dùng"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # The application form (tờ khai) as data, see motcua.catalog.formschema.
    form_schema = models.JSONField(
        _("tờ khai (các trường thông tin)"), default=list, blank=True, validators=[validate_form_schema],
        help_text=_(
            "Danh sách JSON các trường: key, label, type (text, textarea, date, choice, number, phone, "
            "personal_id, place), required, choices, help, max_length, min, max, not_future, default, "
            "prefill (person.full_name, person.birth_date, person.personal_id, person.address, person.phone, "
            "person.email, person.sex), remember, section."
        ),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__order", "name"]
        indexes = [models.Index(fields=["is_active", "field", "level"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:procedure", args=[self.code])

    def save(self, *args, **kwargs):
        # Every writer (admin, importer, scripts) stores a usable, canonical form schema.
        self.form_schema = form_schema_clean(self.form_schema)
        super().save(*args, **kwargs)


class RequiredDocument(models.Model):
    """A document (thành phần hồ sơ) the applicant supplies."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.CharField(_("trường hợp áp dụng"), max_length=500, blank=True)
    # Whether a digitised copy held by the citizen (kho dữ liệu số) can stand in for the paper.
    reusable_digitised = models.BooleanField(_("dùng lại bản số hóa"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    BASE = "base", _("Luôn thu")
    ALTERNATIVE = "alternative", _("Một phương án trong nhóm")
    EXTRA = "extra", _("Thu thêm khi phát sinh")


class FeeItem(models.Model):
    """One line of a procedure's fee schedule (phí, lệ phí); see `motcua.catalog.fees`.

    Alternatives of one `group` exclude each other (by area, applicant kind, channel, case);
    extras apply only when their `condition` is chosen; `per_unit` makes the line count copies.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("khoản thu"), max_length=255)
    amount = models.PositiveIntegerField(
        _("số tiền (đồng)"), help_text=_("Khoản do HĐND tỉnh quy định mà chưa có mức: để 0 và đánh dấu “do tỉnh quy định”")
    )
    kind = models.CharField(_("loại khoản"), max_length=12, choices=FeeKind.choices, default=FeeKind.BASE)
    group = models.CharField(_("nhóm phương án"), max_length=64, blank=True)
    when = models.CharField(
        _("chọn khi"), max_length=120, blank=True,
        help_text=_("urban (phường), rural (xã), special_zone (đặc khu), person, organisation, online, desk"),
    )
    is_default = models.BooleanField(_("phương án mặc định"), default=False)
    condition = models.CharField(_("trường hợp áp dụng"), max_length=255, blank=True)
    per_unit = models.CharField(_("tính theo"), max_length=32, blank=True, help_text=_("bản, trang, phiếu… (để trống: một lần)"))
    local = models.BooleanField(_("mức thu do HĐND tỉnh quy định"), default=False)
    legal_basis = models.CharField(_("căn cứ mức thu"), max_length=500, blank=True)
    exemption = models.CharField(_("miễn, giảm"), max_length=500, blank=True)
    exemption_basis = models.CharField(_("căn cứ miễn, giảm"), max_length=255, blank=True)
    reduced_amount = models.PositiveIntegerField(_("mức thu giảm tạm thời (đồng)"), null=True, blank=True)
    reduced_from = models.DateField(_("giảm từ ngày"), null=True, blank=True)
    reduced_until = models.DateField(_("giảm đến hết ngày"), null=True, blank=True)
    reduction_basis = models.CharField(_("căn cứ giảm"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {format_vnd(self.amount)}"
