"""Forms for sign-in, registration and people. They check shape only; services check the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.core.models import COMMUNE_KINDS, Era, Hamlet, Sex, Unit

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d%m%Y"]


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số định danh cá nhân, số điện thoại hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TotpForm(forms.Form):
    totp_code = forms.CharField(
        label=_("Mã xác thực 6 chữ số"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class RegisterForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân (12 số trên thẻ căn cước)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=_DATE_WIDGET, input_formats=_DATE_FORMATS)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Xã, phường nơi cư trú (không bắt buộc)"), required=False, queryset=Unit.objects.none()
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this installation's communes: the national list is thousands long.
        self.fields["unit"].queryset = Unit.objects.filter(
            era=Era.CURRENT, kind__in=COMMUNE_KINDS, parent__code=f"{settings.PROVINCE_CODE:02d}"
        ).order_by("name_folded")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


class PersonForm(forms.Form):
    # Filled by the card scanner (it types the QR text); chipqr.js or the server spreads it out.
    chip_qr = forms.CharField(
        label=_("Quét mã QR trên thẻ căn cước"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-chip-qr": "1"}),
        help_text=_("Đặt con trỏ vào ô này rồi quét mã QR; các ô bên dưới được điền sẵn."),
    )
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    old_id = forms.CharField(label=_("Số CMND cũ"), max_length=12, required=False)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=_DATE_WIDGET, input_formats=_DATE_FORMATS
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ thường trú"), max_length=255, required=False)
    id_issued_on = forms.DateField(
        label=_("Ngày cấp căn cước"), required=False, widget=_DATE_WIDGET, input_formats=_DATE_FORMATS
    )
    unit = forms.ModelChoiceField(label=_("Xã, phường cư trú"), queryset=Unit.objects.none())
    hamlet = forms.ModelChoiceField(label=_("Ấp, khóm"), queryset=Hamlet.objects.none(), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["hamlet"].queryset = Hamlet.objects.filter(unit__in=units).select_related("unit")


def apply_field_errors(form: forms.Form, details) -> bool:
    """Put a DomainError's `details.fields` on the matching form fields; True if any were placed."""
    fields = (details or {}).get("fields") if isinstance(details, dict) else None
    if not fields:
        return False
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    return True
