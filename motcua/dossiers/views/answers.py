"""The application form (tờ khai) as a Django form built from the procedure's schema.

The form renders the fields (inputs fit for each type on a phone: date pickers, numeric keypads,
lists) and carries their values; the checks are the service's (`services.form_data`), so the
portal, the desk and the API refuse the same answers with the same messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.formschema import max_length_of
from motcua.core.errors import DomainError
from motcua.dossiers.services.form_data import ERROR_CODE

PREFIX = "tk"


def _widget(field: dict) -> forms.Widget:
    kind = field["type"]
    attrs: dict[str, Any] = {}
    if field.get("required"):
        attrs["aria-required"] = "true"
    if kind in ("text", "place", "textarea"):
        attrs["maxlength"] = max_length_of(field)
    if kind == "textarea":
        return forms.Textarea(attrs={**attrs, "rows": 3})
    if kind == "date":
        if field.get("not_future"):
            attrs["max"] = timezone.localdate().isoformat()
        return forms.DateInput(attrs={**attrs, "type": "date"}, format="%Y-%m-%d")
    if kind == "choice":
        return forms.Select(attrs=attrs, choices=[("", _("— Chọn —")), *((c, c) for c in field.get("choices", []))])
    if kind == "number":
        for name in ("min", "max"):
            if field.get(name) is not None:
                attrs[name] = field[name]
        return forms.NumberInput(attrs={**attrs, "inputmode": "numeric"})
    if kind == "phone":
        return forms.TextInput(attrs={**attrs, "type": "tel", "inputmode": "tel", "maxlength": 20})
    if kind == "personal_id":
        return forms.TextInput(attrs={**attrs, "inputmode": "numeric", "maxlength": 14, "autocomplete": "off"})
    return forms.TextInput(attrs=attrs)


class AnswersForm(forms.Form):
    """Fields named `tk-<key>`; every field is optional here (the service checks them)."""

    def __init__(self, schema: list[dict], *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.schema = schema
        for field in schema:
            form_field = forms.CharField(
                label=field["label"], required=False, help_text=field.get("help", ""), widget=_widget(field)
            )
            form_field.schema_required = bool(field.get("required"))
            self.fields[field["key"]] = form_field

    def raw(self) -> dict[str, str]:
        """The answers as typed, for `form_data_clean`."""
        return {f["key"]: self.data.get(self.add_prefix(f["key"]), "") for f in self.schema}

    def show_error(self, exc: DomainError) -> bool:
        """Put the service's messages under their fields; True when the error was about the form."""
        if exc.code != ERROR_CODE:
            return False
        if self._errors is None:
            self.full_clean()
        for key, messages in ((exc.details or {}).get("fields") or {}).items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
        return True

    def sections(self) -> list[tuple[str, list]]:
        """Bound fields grouped by consecutive sections, for one fieldset each."""
        groups: list[tuple[str, list]] = []
        for field in self.schema:
            section = field.get("section", "")
            if not groups or groups[-1][0] != section:
                groups.append((section, []))
            groups[-1][1].append(self[field["key"]])
        return groups


def answers_form(schema: list[dict], *, data=None, initial: dict | None = None) -> AnswersForm | None:
    """The form for this schema (None when the procedure has no form)."""
    if not schema:
        return None
    return AnswersForm(schema, data=data, initial=initial or {})
