"""Forms for claiming records, password reset and change, phone change and desk verification.

They check shape only; the services check the rules.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.forms_accounts import _DATE_FORMATS, _DATE_WIDGET

_CODE_ATTRS = {"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "autofocus": True}


def _code_field():
    return forms.CharField(label=_("Mã xác thực 6 chữ số"), max_length=8, widget=forms.TextInput(attrs=_CODE_ATTRS))


def _password(label, autocomplete="new-password"):
    return forms.CharField(label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class _TwoPasswords(forms.Form):
    def clean(self):
        data = super().clean()
        first, again = data.get("new_password"), data.get("new_password_again")
        if first and again and first != again:
            self.add_error("new_password_again", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


def _personal_id_field(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )


def _identifier_field() -> forms.CharField:
    return forms.CharField(
        label=_("Số định danh cá nhân, số điện thoại hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class ClaimStartForm(forms.Form):
    personal_id = _personal_id_field(_("Số định danh cá nhân (12 số trên thẻ căn cước)"))
    date_of_birth = forms.DateField(label=_("Ngày sinh"), widget=_DATE_WIDGET, input_formats=_DATE_FORMATS)


class ClaimCompleteForm(_TwoPasswords):
    personal_id = _personal_id_field(_("Số định danh cá nhân"))
    code = _code_field()
    new_password = _password(_("Mật khẩu cho tài khoản"))
    new_password_again = _password(_("Nhập lại mật khẩu"))


class ResetStartForm(forms.Form):
    identifier = _identifier_field()


class ResetCompleteForm(_TwoPasswords):
    identifier = _identifier_field()
    code = _code_field()
    new_password = _password(_("Mật khẩu mới"))
    new_password_again = _password(_("Nhập lại mật khẩu mới"))


class PasswordChangeForm(_TwoPasswords):
    old_password = _password(_("Mật khẩu hiện tại"), "current-password")
    new_password = _password(_("Mật khẩu mới"))
    new_password_again = _password(_("Nhập lại mật khẩu mới"))


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động mới"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = _code_field()


class DeskVerifyForm(forms.Form):
    # The phone first: a keyboard-wedge scanner types the QR text and presses Enter, which sends the form.
    phone = forms.CharField(
        label=_("Số điện thoại di động công dân đang dùng"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "autofocus": True}),
        help_text=_("Mã xác thực được gửi tới số này; công dân tự nhập mã để hoàn tất."),
    )
    chip_qr = forms.CharField(
        label=_("Quét mã QR trên thẻ căn cước của công dân"),
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Đặt con trỏ vào ô này rồi quét mã QR trên thẻ công dân đang xuất trình."),
    )
