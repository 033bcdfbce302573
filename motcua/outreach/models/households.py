from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import FoldedTextMixin, TimeStampedModel, set_null_fk
from motcua.core.text import fold


class Household(FoldedTextMixin, TimeStampedModel):
    """A household (hộ gia đình) in a hamlet, as the community digital team knows it.

    The head is linked to a Person when the team knows their personal ID; otherwise the name and
    phone typed by the team stand on their own. Duplicate detection uses the head's personal ID, or
    the folded head name with the folded address.
    """

    folded_fields = {"identity_folded": lambda household: f"{fold(household.head_name)}|{fold(household.address)}"}

    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="households"
    )
    hamlet = models.ForeignKey(
        "core.Hamlet", verbose_name=_("ấp, khóm"), on_delete=models.PROTECT, related_name="households"
    )
    head = set_null_fk("core.Person", verbose_name=_("chủ hộ"), related_name="headed_households")
    head_name = models.CharField(_("họ tên chủ hộ"), max_length=120)
    head_personal_id = models.CharField(_("số định danh chủ hộ"), max_length=12, null=True, blank=True, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=255)
    # Folded "head name | address", the second duplicate test when there is no personal ID.
    identity_folded = models.CharField(max_length=400, editable=False, db_index=True)
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    member_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    is_business = models.BooleanField(_("hộ kinh doanh"), default=False)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["hamlet_id", "head_name", "id"]
        indexes = [models.Index(fields=["unit", "hamlet"])]

    def __str__(self) -> str:
        return f"{self.head_name} – {self.address}"


class HouseholdMember(TimeStampedModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = set_null_fk("core.Person", related_name="+")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    personal_id = models.CharField(_("số định danh"), max_length=12, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    relation = models.CharField(_("quan hệ với chủ hộ"), max_length=40, blank=True)
    is_head = models.BooleanField(_("là chủ hộ"), default=False)

    class Meta:
        verbose_name = _("thành viên hộ")
        verbose_name_plural = _("thành viên hộ")
        ordering = ["household_id", "-is_head", "id"]

    def __str__(self) -> str:
        return self.full_name
