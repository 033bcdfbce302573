from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold

from .base import FoldedTextMixin, TimeStampedModel, optional_fk, set_null_fk


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Person(FoldedTextMixin, TimeStampedModel):
    """A citizen (công dân). Identified by the 12-digit personal ID where there is one."""

    folded_fields = {"full_name_folded": lambda person: fold(person.full_name)}

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True)
    old_id = models.CharField(_("số CMND cũ"), max_length=12, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    full_name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    # Normalised to the domestic form 0XXXXXXXXX (see motcua.core.identity.normalize_phone).
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ thường trú"), max_length=255, blank=True)
    unit = optional_fk("core.Unit", _("xã, phường cư trú"), on_delete=models.PROTECT, related_name="residents")
    hamlet = set_null_fk("core.Hamlet", verbose_name=_("ấp, khóm"), related_name="residents")
    id_issued_on = models.DateField(_("ngày cấp căn cước"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")
        ordering = ["full_name_folded", "id"]

    def __str__(self) -> str:
        return self.full_name


class Organisation(TimeStampedModel):
    """A business or other organisation, identified by its tax code (mã số thuế)."""

    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    address = models.CharField(_("địa chỉ trụ sở"), max_length=255, blank=True)
    unit = optional_fk("core.Unit", _("xã, phường"), on_delete=models.PROTECT, related_name="organisations")
    representative = set_null_fk(Person, verbose_name=_("người đại diện"), related_name="represented_organisations")
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("tổ chức, doanh nghiệp")
        verbose_name_plural = _("tổ chức, doanh nghiệp")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
