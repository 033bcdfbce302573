from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """Statuses as the national public-service portal counts them (plus a private draft)."""

    DRAFT = "draft", _("Bản nháp")
    REGISTERED = "registered", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# The ten national status codes (1–10) reported to the national portal; drafts are never reported.
NATIONAL_STATUS_CODE = {
    DossierStatus.REGISTERED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.NOT_RECEIVED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.PAYMENT_REQUESTED: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESOLVED: 9,
    DossierStatus.RETURNED: 10,
}

# Statuses in which the processing clock does not run (waiting for the applicant).
CLOCK_PAUSED = {DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.PAYMENT_REQUESTED}
# Statuses after which nothing more happens to the dossier.
FINAL = {DossierStatus.NOT_RECEIVED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED}


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính")
    ASSISTED = "assisted", _("Được hỗ trợ nộp thay")


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Gửi qua bưu chính")
    ELECTRONIC = "electronic", _("Nhận bản điện tử")


class DeadlineState(models.TextChoices):
    """Kept up to date by the periodic deadline job so queues can filter on it cheaply."""

    ON_TIME = "on_time", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
