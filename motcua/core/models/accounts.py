from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel, optional_fk, set_null_one_to_one


class PersonProof(models.TextChoices):
    """How an account showed it belongs to its person (the link is only as strong as this)."""

    SELF_DECLARED = "self", _("Tự khai khi đăng ký")
    CODE = "code", _("Mã xác thực gửi tới số điện thoại đã lưu")
    DESK = "desk", _("Cán bộ xác minh tại quầy")
    NATIONAL = "national", _("Đăng nhập bằng định danh quốc gia")


class User(AbstractUser):
    """An account. Citizens link to their Person; officers carry scoped roles."""

    person = set_null_one_to_one("core.Person", _("công dân"), related_name="user")
    # Empty for accounts linked before proofs were recorded (and for officers).
    person_proof = models.CharField(_("cách xác minh công dân"), max_length=8, choices=PersonProof.choices, blank=True)
    is_officer = models.BooleanField(_("là cán bộ"), default=False)
    # TOTP (RFC 6238) second factor; required for officers when settings say so, or per user.
    totp_secret = models.CharField(_("khóa TOTP"), max_length=64, blank=True)
    totp_required = models.BooleanField(_("bắt buộc mã TOTP"), default=False)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (`last_name`), then the given name (`first_name`).

        "Nguyễn Hoàng" + "Hải" -> "Nguyễn Hoàng Hải", never Django's "Hải Nguyễn Hoàng". Citizens'
        accounts keep the whole name in `first_name` and read the same. Pages call
        `motcua.core.text.display_name` (`{{ user|display_name }}`), which falls back to the username.
        """
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Tiếp nhận một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    CASHIER = "cashier", _("Thu ngân")
    REPORT_HANDLER = "report_handler", _("Xử lý phản ánh")
    OUTREACH_MEMBER = "outreach_member", _("Thành viên tổ CNSCĐ")
    MANAGER = "manager", _("Quản lý")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class RoleAssignment(TimeStampedModel):
    """A role held by an officer, scoped to an agency (and so its unit) or directly to a unit.

    A role scoped to a province unit covers every unit under it.
    """

    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    agency = optional_fk("core.Agency", _("cơ quan"), on_delete=models.CASCADE, related_name="role_assignments")
    unit = optional_fk("core.Unit", _("đơn vị hành chính"), on_delete=models.CASCADE, related_name="role_assignments")

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(unit__isnull=False),
                name="role_assignment_has_scope",
            ),
            models.UniqueConstraint(fields=["user", "role", "agency", "unit"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency or self.unit}"
