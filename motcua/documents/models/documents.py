"""Official documents: the incoming book, outgoing drafts and issues, their number series.

Decree 30/2020/NĐ-CP: incoming documents get one running number per agency per year, starting at 1
on 1 January, shared by paper and electronic ones (Art. 22); outgoing documents are numbered at
issue, per agency per year, legal normative documents in their own series per type (Art. 15).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import EventLogEntry, FoldedTextMixin, TimeStampedModel, optional_fk, set_null_fk
from motcua.core.text import fold


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class SeriesKind(models.TextChoices):
    INCOMING = "incoming", _("Sổ văn bản đến")
    OUTGOING = "outgoing", _("Sổ văn bản đi")


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    PRESENTED = "presented", _("Đã trình lãnh đạo")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", _("Đã xử lý xong")


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang trình duyệt")
    APPROVED = "approved", _("Đã duyệt")
    ISSUED = "issued", _("Đã ban hành")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")
    REPLACED = "replaced", _("Đã bị thay thế")


class DocumentType(models.Model):
    """A kind of document (Nghị quyết, Quyết định, Công văn…) with its abbreviation (Appendix III)."""

    code = models.CharField(_("chữ viết tắt"), max_length=10, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    is_legal_normative = models.BooleanField(_("văn bản quy phạm pháp luật"), default=False)
    # What the code prints when it differs from `code` (legal normative "QĐ" vs ordinary "QĐ"); a
    # type printed without abbreviation (công văn: "15/UBND-VP") has `in_code` off.
    abbreviation = models.CharField(_("ký hiệu in trong số"), max_length=10, blank=True)
    in_code = models.BooleanField(_("ghi tên loại trong ký hiệu"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def printed(self) -> str:
        return self.abbreviation or self.code


class DocumentOffice(TimeStampedModel):
    """An agency's document settings: the abbreviation in its codes ("UBND"), its head (thủ trưởng)."""

    agency = models.OneToOneField(
        "core.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="document_office"
    )
    abbreviation = models.CharField(_("chữ viết tắt tên cơ quan"), max_length=30)
    head = set_null_fk(settings.AUTH_USER_MODEL, _("thủ trưởng cơ quan"), related_name="headed_document_offices")

    class Meta:
        verbose_name = _("thiết lập văn thư")
        verbose_name_plural = _("thiết lập văn thư")

    def __str__(self) -> str:
        return f"{self.agency} ({self.abbreviation})"


class NumberSeries(models.Model):
    """One running number: the incoming book of an agency for a year, or an outgoing series.

    Row-locked (SELECT … FOR UPDATE) whenever a number is taken, so two clerks never get the same one.
    """

    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại sổ"), max_length=10, choices=SeriesKind.choices)
    # Outgoing legal normative documents have a series per type; every other outgoing document of
    # the agency shares the series with doc_type null. Incoming: always null.
    doc_type = optional_fk(DocumentType, _("loại văn bản"), on_delete=models.PROTECT)
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("dãy số văn bản")
        verbose_name_plural = _("dãy số văn bản")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind", "doc_type"], name="number_series_unique"),
            models.UniqueConstraint(
                fields=["agency", "year", "kind"],
                condition=models.Q(doc_type__isnull=True),
                name="number_series_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.kind}/{self.doc_type_id or '-'}: {self.last_number}"


def _incoming_search(doc) -> str:
    parts = [doc.doc_number, doc.sender_name, doc.summary, doc.text]
    return fold(" ".join(p for p in parts if p))


class IncomingDocument(FoldedTextMixin, TimeStampedModel):
    """One entry of the incoming book (sổ đăng ký văn bản đến)."""

    folded_fields = {"search_folded": _incoming_search}

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="incoming_documents"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    incoming_number = models.PositiveIntegerField(_("số đến"))
    received_at = models.DateTimeField(_("ngày đến"))
    sender_name = models.CharField(_("nơi gửi"), max_length=255)
    sender_agency = optional_fk(
        "core.Agency", _("cơ quan gửi"), on_delete=models.SET_NULL, related_name="sent_incoming_documents"
    )
    doc_number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    summary = models.TextField(_("trích yếu nội dung"))
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    pages = models.PositiveSmallIntegerField(_("số tờ"), null=True, blank=True)
    is_electronic = models.BooleanField(_("văn bản điện tử"), default=False)
    file = models.FileField(_("tệp văn bản"), upload_to="documents/incoming/%Y/", blank=True)
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    reply_required = models.BooleanField(_("cần trả lời"), default=False)
    reply_due = models.DateField(_("hạn trả lời"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=IncomingStatus.choices, default=IncomingStatus.REGISTERED
    )
    # Presentation to the leader: the same working day, or the next one; urgent ones at once.
    present_due = models.DateTimeField(_("hạn trình"), null=True, blank=True)
    presented_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    leader = set_null_fk(settings.AUTH_USER_MODEL, _("lãnh đạo cho ý kiến"), related_name="+")
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    handling_due = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("đã báo quá hạn lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    closing_note = models.TextField(_("kết quả xử lý"), blank=True)
    reply = set_null_fk("documents.OutgoingDocument", _("văn bản trả lời"), related_name="answers")
    source_outgoing = set_null_fk("documents.OutgoingDocument", _("văn bản đi gốc (nội bộ)"), related_name="deliveries")
    exchange_id = models.CharField(_("mã gói EDXML"), max_length=100, null=True, blank=True)
    dossiers = models.ManyToManyField("dossiers.Dossier", verbose_name=_("hồ sơ liên quan"), blank=True)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người được xem (văn bản mật)"), blank=True, related_name="+"
    )
    registered_by = set_null_fk(settings.AUTH_USER_MODEL, _("người vào sổ"), related_name="+")
    search_folded = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-year", "-incoming_number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "incoming_number"], name="incoming_number_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="incoming_agency_received"),
            models.Index(fields=["agency", "status"], name="incoming_agency_status"),
            # A type filter in the book's order (newest number first) without sorting the matches.
            models.Index(
                fields=["agency", "doc_type", "-year", "-incoming_number"], name="incoming_agency_type_number"
            ),
            # A type filter over a period: the period's rows of that type, then sorted (few), where
            # walking the type in the book's order would pass every newer row first.
            models.Index(fields=["agency", "doc_type", "received_at"], name="incoming_agency_type_received"),
        ]

    def __str__(self) -> str:
        return f"{self.incoming_number}/{self.year} – {self.summary[:60]}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


def _outgoing_search(doc) -> str:
    parts = [doc.code, doc.title, doc.summary, doc.body, doc.recipients_text, doc.text]
    return fold(" ".join(p for p in parts if p))


class OutgoingDocument(FoldedTextMixin, TimeStampedModel):
    """A document the agency drafts, gets approved, numbers and issues (văn bản đi)."""

    folded_fields = {"search_folded": _outgoing_search}

    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="outgoing_documents"
    )
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    code = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên loại và trích yếu"), max_length=500)
    summary = models.TextField(_("trích yếu nội dung"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    signer = set_null_fk(settings.AUTH_USER_MODEL, _("người ký"), related_name="+")
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    recipients_text = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận"))
    internal_recipients = models.ManyToManyField(
        "core.Agency", verbose_name=_("cơ quan nhận trong hệ thống"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    step = models.PositiveSmallIntegerField(_("bước duyệt hiện tại"), default=0)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("số tờ"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), null=True, blank=True)
    file = models.FileField(_("tệp đã ký"), upload_to="documents/outgoing/%Y/", blank=True)
    replaces = set_null_fk("self", _("thay thế văn bản"), related_name="replaced_by")
    amends = set_null_fk("self", _("sửa đổi, bổ sung văn bản"), related_name="amended_by")
    change_reason = models.TextField(_("lý do thu hồi, thay thế, sửa đổi"), blank=True)
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người được xem (văn bản mật)"), blank=True, related_name="+"
    )
    drafted_by = set_null_fk(settings.AUTH_USER_MODEL, _("người soạn"), related_name="+")
    search_folded = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "code"], condition=~models.Q(code=""), name="outgoing_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="outgoing_agency_status")]

    def __str__(self) -> str:
        return f"{self.code or _('(chưa cấp số)')} – {self.title[:60]}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class ApprovalStep(models.Model):
    """One review/approval step of outgoing documents, as data: per agency, optionally per type.

    The steps of a document are those of its agency and type, or, when there are none, its
    agency's steps without a type. No steps: the leader approves directly.
    """

    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+")
    doc_type = optional_fk(DocumentType, _("loại văn bản"), on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=120)
    role = models.CharField(_("vai trò duyệt"), max_length=20)

    class Meta:
        verbose_name = _("bước duyệt văn bản")
        verbose_name_plural = _("bước duyệt văn bản")
        ordering = ["agency_id", "doc_type_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type", "order"], name="approval_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    SUPPORT = "support", _("Phối hợp")


class Assignment(TimeStampedModel):
    """Who handles an incoming document: a lead and supporting people (or units) named by the leader."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    user = set_null_fk(settings.AUTH_USER_MODEL, _("người xử lý"), related_name="document_assignments")
    agency = set_null_fk("core.Agency", _("đơn vị xử lý"), related_name="+")
    progress = models.TextField(_("tiến độ"), blank=True)
    progress_at = models.DateTimeField(_("cập nhật tiến độ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        ordering = ["document_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(agency__isnull=False),
                name="document_assignment_has_assignee",
            ),
        ]


class DocumentEvent(EventLogEntry):
    """One line of a document's history."""

    incoming = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    outgoing = models.ForeignKey(
        OutgoingDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = set_null_fk(settings.AUTH_USER_MODEL, _("người thực hiện"), related_name="+")

    class Meta:
        verbose_name = _("diễn biến văn bản")
        verbose_name_plural = _("diễn biến văn bản")
        ordering = ["at", "id"]
