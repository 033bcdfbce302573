"""Officer pages: my certificates (upload a PKCS#12, see and stop using it) and signing a result.

Thin: services decide; a refusal comes back as a message on the page, never a 500.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers.services.workflow import dossier_get_for_action
from motcua.signing import selectors
from motcua.signing.services.certificates import MAX_PKCS12_BYTES, certificate_deactivate, certificate_import_pkcs12
from motcua.signing.services.signing import certificate_usable, result_sign


class Pkcs12Form(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp chứng thư số (.p12, .pfx)"))
    passphrase = forms.CharField(
        label=gettext_lazy("Mật khẩu của tệp"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    label = forms.CharField(label=gettext_lazy("Tên gợi nhớ"), required=False, max_length=120)


def _officer(request):
    if not request.user.is_authenticated:
        return None
    if not (request.user.is_officer or request.user.is_superuser):
        raise Http404
    return request.user


@require_http_methods(["GET", "POST"])
def certificates_view(request):
    user = _officer(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    form = Pkcs12Form(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(MAX_PKCS12_BYTES + 1)
            try:
                certificate = certificate_import_pkcs12(
                    actor=user, data=data, passphrase=form.cleaned_data["passphrase"], label=form.cleaned_data["label"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã nạp chứng thư số: %(name)s.") % {"name": certificate.subject_cn})
                return redirect("signing:certificates")
        else:
            messages.error(request, _("Vui lòng chọn tệp chứng thư số."))
    certificates = [(c, certificate_usable(c)) for c in selectors.own_certificates(user)]
    return render(request, "signing/certificates.html", {"form": Pkcs12Form(), "certificates": certificates})


@require_POST
def certificate_deactivate_view(request, pk: int):
    user = _officer(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    try:
        certificate = selectors.certificate_get_for(user, pk)
        certificate_deactivate(actor=user, certificate=certificate)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ngừng dùng chứng thư số."))
    return redirect("signing:certificates")


@require_POST
def result_sign_view(request, code: str, document_id: int):
    user = _officer(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    try:
        dossier = dossier_get_for_action(user, code)
    except DomainError:
        raise Http404
    try:
        result_sign(actor=user, dossier=dossier, document_id=document_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ký số văn bản kết quả. Người nộp sẽ nhận bản đã ký."))
    return redirect("dossiers:officer_detail", code=code)
