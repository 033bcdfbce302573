"""The officer's fee form for the `request_fees` action: the default assessment shown and ticked,
the other alternatives and extras offered, a quantity for lines charged per copy, an amount for
lines the province sets, and the reason when the choice differs from the default.

The schedule and its default come from the payments assessment (the same code that prices the
request). The officer's dossier page (dossiers, below payments) shows it for `request_fees`:
`PaymentsConfig.ready` registers it there with `action_form_register`.
"""

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.fees import amount_text, default_selection
from motcua.core.errors import DomainError
from motcua.core.text import format_vnd

from ..services.assessment import assess, dossier_facts, fee_items

_textarea = forms.Textarea(attrs={"rows": 2})


class FeesForm(forms.Form):
    lines = forms.MultipleChoiceField(
        label=gettext_lazy("Các khoản thu"), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount = forms.CharField(
        label=gettext_lazy("Hoặc một số tiền gộp (đồng)"),
        required=False,
        help_text=gettext_lazy("Chỉ nhập khi không thu theo các khoản trên."),
    )
    reason = forms.CharField(label=gettext_lazy("Lý do thay đổi so với mức mặc định"), required=False, widget=_textarea)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=_textarea)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._fees = []
        if dossier is None:
            return
        try:
            self._fees = fee_items(dossier)
            selection = default_selection(self._fees, dossier_facts(dossier))
        except DomainError:
            return
        today = timezone.localdate()
        choices = []
        for fee in self._fees:
            label = f"{fee['name']}: {amount_text(fee, today)}"
            if fee["kind"] == "alternative":
                label += " — " + (
                    _("một trong nhóm: %(c)s") % {"c": fee["condition"]} if fee["condition"] else _("một trong nhóm")
                )
            elif fee["kind"] == "extra":
                label += " — " + _("thu thêm khi: %(c)s") % {"c": fee["condition"]}
            choices.append((str(fee["index"]), label))
            if fee["per_unit"]:
                self.fields[f"quantity_{fee['index']}"] = forms.IntegerField(
                    label=_("Số %(unit)s — %(name)s") % {"unit": fee["per_unit"], "name": fee["name"]},
                    min_value=1,
                    max_value=1000,
                    initial=1,
                    required=False,
                )
            if fee["local"]:
                self.fields[f"amount_{fee['index']}"] = forms.IntegerField(
                    label=_("Mức thu theo quy định của tỉnh (đồng) — %(name)s") % {"name": fee["name"]},
                    min_value=0,
                    required=False,
                )
        self.fields["lines"].choices = choices
        self.fields["lines"].initial = [str(i) for i in selection.indexes]
        if selection.unresolved:
            self.fields["lines"].help_text = escape(
                _("Hồ sơ chưa đủ thông tin để chọn mức thu; hãy chọn một phương án.")
            )
            return
        try:
            assessment = assess(dossier=dossier)
        except DomainError:
            return
        if assessment.items:
            lines = "; ".join(f"{item['name']}: {format_vnd(item['amount'])}" for item in assessment.items)
            # Help text is rendered unescaped by Django's form templates.
            self.fields["lines"].help_text = escape(
                _("Mặc định thu theo biểu phí của thủ tục (%(lines)s), tổng %(total)s.")
                % {"lines": lines, "total": format_vnd(assessment.total)}
            )

    def clean(self):
        data = super().clean()
        out = {"note": data.get("note", ""), "reason": data.get("reason", "")}
        if data.get("amount"):
            out["amount"] = data["amount"]
            return out
        items = []
        for index in data.get("lines") or []:
            item = {"index": int(index)}
            if data.get(f"quantity_{index}"):
                item["quantity"] = data[f"quantity_{index}"]
            if data.get(f"amount_{index}") is not None:
                item["amount"] = data[f"amount_{index}"]
            items.append(item)
        if items:
            out["items"] = items
        return out
