"""Officer pages: my certificates (upload a PKCS#12, see and stop using it) and signing a result.

Thin: services decide; a refusal comes back as a message on the page, never a 500.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.decorators import officer_required
from motcua.core.shortcuts import run_and_tell
from motcua.dossiers.views.officer import officer_dossier_page
from motcua.signing import selectors
from motcua.signing.services.certificates import MAX_PKCS12_BYTES, certificate_deactivate, certificate_import_pkcs12
from motcua.signing.services.signing import certificate_usable, result_sign


class Pkcs12Form(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp chứng thư số (.p12, .pfx)"))
    passphrase = forms.CharField(
        label=gettext_lazy("Mật khẩu của tệp"), required=False, widget=forms.PasswordInput(render_value=False)
    )
    label = forms.CharField(label=gettext_lazy("Tên gợi nhớ"), required=False, max_length=120)


@require_http_methods(["GET", "POST"])
@officer_required
def certificates_view(request):
    user = request.user
    form = Pkcs12Form(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(MAX_PKCS12_BYTES + 1)
            imported = run_and_tell(
                request,
                lambda: certificate_import_pkcs12(
                    actor=user, data=data, passphrase=form.cleaned_data["passphrase"], label=form.cleaned_data["label"]
                ),
                lambda certificate: _("Đã nạp chứng thư số: %(name)s.") % {"name": certificate.subject_cn},
            )
            if imported is not None:
                return redirect("signing:certificates")
        else:
            messages.error(request, _("Vui lòng chọn tệp chứng thư số."))
    certificates = [(c, certificate_usable(c)) for c in selectors.own_certificates(user)]
    return render(request, "signing/certificates.html", {"form": Pkcs12Form(), "certificates": certificates})


@require_POST
@officer_required
def certificate_deactivate_view(request, pk: int):
    run_and_tell(
        request,
        lambda: certificate_deactivate(actor=request.user, certificate=selectors.certificate_get_for(request.user, pk)),
        _("Đã ngừng dùng chứng thư số."),
        missing_is_404=True,
    )
    return redirect("signing:certificates")


@require_POST
@officer_dossier_page
def result_sign_view(request, code: str, document_id: int, *, dossier):
    run_and_tell(
        request,
        lambda: result_sign(actor=request.user, dossier=dossier, document_id=document_id),
        _("Đã ký số văn bản kết quả. Người nộp sẽ nhận bản đã ký."),
        missing_is_404=True,
    )
    return redirect("dossiers:officer_detail", code=code)
