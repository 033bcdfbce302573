"""Pages: claim records with a code, forgotten password, password and phone change, desk verification.

Each page works without JavaScript: a form, then a second form for the code on the same address.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from motcua.core import selectors
from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError, NotFound
from motcua.core.forms_accounts import apply_field_errors
from motcua.verification.forms import (
    ClaimCompleteForm,
    ClaimStartForm,
    CodeForm,
    DeskVerifyForm,
    PasswordChangeForm,
    PhoneChangeForm,
    ResetCompleteForm,
    ResetStartForm,
)
from motcua.verification.services import claims, passwords

_CLAIM_KEY = "motcua_claim"
_RESET_KEY = "motcua_reset"
_PHONE_KEY = "motcua_phone_change"


def _page(request, *, title, form, submit, intro="", action="", extra=None, status=200):
    context = {"title": title, "intro": intro, "form": form, "submit": submit, "action": action, **(extra or {})}
    return render(request, "verification/form.html", context, status=status)


def _show_error(form, exc: DomainError) -> None:
    if not apply_field_errors(form, exc.details):
        form.add_error(None, exc.message)


def _submit(request, form, action) -> tuple[bool, object]:
    """For a valid POST, run `action(cleaned_data)`: (True, its result), or (False, None) when nothing
    was posted, the form is invalid or the action refused (the refusal is then shown on the form)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except DomainError as exc:
        _show_error(form, exc)
        return False, None


# --- claiming records (nhận hồ sơ) -----------------------------------------------------------------


def claim_start_view(request):
    """Step 1: ID and birth date; a code goes to the phone on record."""
    initial = {"personal_id": request.GET.get("so_dinh_danh", "")[:20]}
    form = ClaimStartForm(request.POST or None, initial=initial)
    done, started = _submit(
        request,
        form,
        lambda data: claims.claim_start(
            personal_id=data["personal_id"], date_of_birth=data["date_of_birth"], request=request
        ),
    )
    if done:
        request.session[_CLAIM_KEY] = {"personal_id": form.cleaned_data["personal_id"]}
        messages.success(request, _("Đã gửi mã xác thực tới số điện thoại %(phone)s.") % {"phone": started.sent_to})
        return redirect("verification:claim_complete")
    return _page(
        request,
        title=_("Nhận hồ sơ đã có trong hệ thống"),
        intro=_(
            "Nếu ông/bà đã từng nộp hồ sơ tại bộ phận một cửa, hồ sơ của ông/bà đã có trong hệ thống. Nhập số định danh "
            "và ngày sinh; mã xác thực sẽ được gửi tới số điện thoại đã lưu trong hồ sơ. Không có số điện thoại "
            "hoặc số đã đổi? Hãy mang thẻ căn cước đến bộ phận một cửa để được xác minh."
        ),
        form=form,
        submit=_("Gửi mã xác thực"),
        extra={"links": [(reverse("verification:claim_complete"), _("Tôi đã có mã xác thực"))]},
    )


@sensitive_post_parameters("new_password", "new_password_again", "code")
def claim_complete_view(request):
    """Step 2: the code (from step 1 or from the desk) and a password; the account is made and signed in."""
    pending = request.session.get(_CLAIM_KEY) or {}
    form = ClaimCompleteForm(request.POST or None, initial={"personal_id": pending.get("personal_id", "")})
    done, user = _submit(
        request,
        form,
        lambda data: claims.claim_complete(
            personal_id=data["personal_id"], code=data["code"], password=data["new_password"]
        ),
    )
    if done:
        request.session.pop(_CLAIM_KEY, None)
        login(request, user, backend="motcua.core.auth.IdentifierBackend")
        messages.success(request, _("Đã nhận hồ sơ. Từ nay ông/bà đăng nhập bằng số định danh và mật khẩu vừa đặt."))
        return redirect("core:account")
    return _page(
        request,
        title=_("Nhập mã xác thực"),
        intro=_("Nhập mã 6 chữ số vừa nhận qua tin nhắn và đặt mật khẩu cho tài khoản."),
        form=form,
        submit=_("Nhận hồ sơ"),
        extra={"links": [(reverse("verification:claim_start"), _("Gửi lại mã"))]},
    )


# --- forgotten password -----------------------------------------------------------------------------


def reset_start_view(request):
    form = ResetStartForm(request.POST or None)
    done, _sent = _submit(
        request, form, lambda data: passwords.password_reset_start(identifier=data["identifier"], request=request)
    )
    if done:
        request.session[_RESET_KEY] = {"identifier": form.cleaned_data["identifier"]}
        messages.info(
            request,
            _(
                "Nếu thông tin đúng, mã xác thực đã được gửi tới số điện thoại (hoặc thư điện tử) đã đăng ký "
                "của tài khoản."
            ),
        )
        return redirect("verification:reset_complete")
    return _page(
        request,
        title=_("Quên mật khẩu"),
        intro=_("Nhập số định danh, số điện thoại hoặc tên đăng nhập. Mã xác thực được gửi tới số điện thoại đã lưu."),
        form=form,
        submit=_("Gửi mã xác thực"),
    )


@sensitive_post_parameters("new_password", "new_password_again", "code")
def reset_complete_view(request):
    pending = request.session.get(_RESET_KEY) or {}
    form = ResetCompleteForm(request.POST or None, initial={"identifier": pending.get("identifier", "")})
    done, _user = _submit(
        request,
        form,
        lambda data: passwords.password_reset_complete(
            identifier=data["identifier"], code=data["code"], new_password=data["new_password"]
        ),
    )
    if done:
        request.session.pop(_RESET_KEY, None)
        messages.success(request, _("Đã đặt lại mật khẩu. Mọi phiên đăng nhập cũ đã bị đăng xuất; hãy đăng nhập lại."))
        return redirect("core:login")
    return _page(
        request,
        title=_("Đặt lại mật khẩu"),
        intro=_("Nhập mã 6 chữ số vừa nhận và mật khẩu mới."),
        form=form,
        submit=_("Đặt lại mật khẩu"),
        extra={"links": [(reverse("verification:reset_start"), _("Gửi lại mã"))]},
    )


# --- signed in: password and phone --------------------------------------------------------------------


@login_required
@sensitive_post_parameters("old_password", "new_password", "new_password_again")
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    done, _user = _submit(
        request,
        form,
        lambda data: passwords.password_change(
            request=request,
            user=request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
        ),
    )
    if done:
        messages.success(request, _("Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất."))
        return redirect("core:account")
    return _page(request, title=_("Đổi mật khẩu"), form=form, submit=_("Đổi mật khẩu"))


@login_required
def phone_change_view(request):
    if request.user.person_id is None:
        raise Http404
    if request.method == "POST" and "code" in request.POST and request.session.get(_PHONE_KEY):
        form = CodeForm(request.POST)
        done, _user = _submit(
            request, form, lambda data: passwords.phone_change_complete(user=request.user, code=data["code"])
        )
        if done:
            request.session.pop(_PHONE_KEY, None)
            messages.success(request, _("Đã đổi số điện thoại. Số cũ đã được thông báo."))
            return redirect("core:account")
        return _page(request, title=_("Nhập mã gửi tới số mới"), form=form, submit=_("Xác nhận"))
    form = PhoneChangeForm(request.POST or None)
    done, sent = _submit(
        request,
        form,
        lambda data: passwords.phone_change_start(user=request.user, new_phone=data["phone"], request=request),
    )
    if done:
        request.session[_PHONE_KEY] = True
        messages.success(request, _("Đã gửi mã xác thực tới số %(phone)s.") % {"phone": sent.sent_to})
        return _page(request, title=_("Nhập mã gửi tới số mới"), form=CodeForm(), submit=_("Xác nhận"))
    return _page(
        request,
        title=_("Đổi số điện thoại"),
        intro=_("Mã xác thực được gửi tới số mới; số cũ sẽ nhận thông báo về thay đổi này."),
        form=form,
        submit=_("Gửi mã xác thực"),
    )


# --- officer: desk verification (xác minh tài khoản) ---------------------------------------------------


@officer_required
def desk_verify_view(request, pk: int):
    try:
        person = selectors.person_get_for(request.user, pk)
    except (NotFound, DomainError):
        # Desk verification is for people in the officer's own work, never through the wide view.
        raise Http404
    form = DeskVerifyForm(request.POST or None)
    done, sent = _submit(
        request,
        form,
        lambda data: claims.desk_verify(
            officer=request.user, person_id=person.pk, chip_qr=data["chip_qr"], phone=data["phone"], request=request
        ),
    )
    if done:
        messages.success(
            request,
            _(
                "Đã xác minh thẻ căn cước và gửi mã tới số %(phone)s. Hướng dẫn công dân mở trang “Nhận hồ sơ”, "
                "chọn “Tôi đã có mã xác thực” và tự nhập mã; không đọc mã cho cán bộ."
            )
            % {"phone": sent.sent_to},
        )
        return redirect("core:person_detail", pk=person.pk)
    return _page(
        request,
        title=_("Xác minh tài khoản: %(name)s") % {"name": person.full_name},
        intro=_(
            "Kiểm tra thẻ căn cước gắn chip của chính công dân đang có mặt, quét mã QR trên thẻ và nhập số điện "
            "thoại công dân đang dùng. Tài khoản chưa xác minh đang gắn với hồ sơ (nếu có) sẽ bị tách khi công "
            "dân hoàn tất."
        ),
        form=form,
        submit=_("Xác minh và gửi mã"),
        extra={"links": [(reverse("core:person_detail", args=[person.pk]), _("Quay lại hồ sơ công dân"))]},
    )
