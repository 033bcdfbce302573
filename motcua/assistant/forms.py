from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure

from .models import FaqEntry


class FaqForm(forms.ModelForm):
    procedure_code = forms.CharField(
        label=_("Mã thủ tục (không bắt buộc)"), max_length=32, required=False,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193."),
    )  # fmt: skip

    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "keywords", "valid_from", "valid_until", "is_active"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 5}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"keywords": _("Các cụm từ người dân hay dùng, cách nhau bằng dấu phẩy.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.procedure_id and not self.is_bound:
            self.initial["procedure_code"] = self.instance.procedure.code

    def clean_procedure_code(self):
        code = self.cleaned_data["procedure_code"].strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục với mã này."))
        return procedure
