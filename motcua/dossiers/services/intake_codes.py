"""Receiving agency, dossier codes and the procedure snapshot taken at submission."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.fees import schedule_of
from motcua.catalog.models import AgencyLevel, Procedure
from motcua.core.errors import DomainError
from motcua.core.models import Agency, AgencyKind, Unit
from motcua.dossiers.models import DossierCodeSequence


def dossier_choose_agency(procedure: Procedure, unit: Unit | None, *, agency: Agency | None = None) -> Agency:
    """The agency that receives a dossier: the one picked, or the procedure's agency kind in the
    applicant's commune (commune-level procedures) or in the province (province-level)."""
    if agency is not None:
        centre_ok = procedure.level == AgencyLevel.PROVINCE and agency.kind == AgencyKind.PROVINCE_CENTRE
        if not agency.is_active or not (agency.kind == procedure.agency_kind or centre_ok):
            raise DomainError(
                _("Cơ quan %(name)s không tiếp nhận thủ tục này.") % {"name": agency.name}, code="agency_not_allowed"
            )
        return agency
    if unit is None:
        raise DomainError(
            _("Chưa xác định được nơi cư trú của người nộp. Vui lòng chọn cơ quan tiếp nhận."), code="agency_required"
        )
    if procedure.level == AgencyLevel.PROVINCE:
        place = unit if unit.is_province or unit.parent_id is None else unit.parent
    else:
        place = unit
    found = Agency.objects.filter(unit=place, kind=procedure.agency_kind, is_active=True).order_by("code").first()
    if found is None:
        raise DomainError(
            _("Không tìm thấy cơ quan tiếp nhận thủ tục này tại %(place)s. Vui lòng chọn cơ quan tiếp nhận.")
            % {"place": place.name},
            code="agency_required",
        )
    return found


def dossier_code_next(*, agency: Agency, at: datetime.datetime) -> str:
    """`<agency code>-YYMMDD-NNNN`, numbered per agency per local day. Call inside the caller's
    atomic block: the sequence row stays locked until it commits, so concurrent intakes queue up."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_code_next must run inside transaction.atomic()")
    day = timezone.localdate(at)
    sequence, _created = DossierCodeSequence.objects.get_or_create(agency=agency, day=day)
    sequence = DossierCodeSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code}-{day:%y%m%d}-{sequence.last:04d}"


def procedure_snapshot(procedure: Procedure) -> dict:
    """What the procedure said when the dossier was submitted (documents, time limit, fees, law)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "level": procedure.level,
        "agency_kind": procedure.agency_kind,
        "time_limit_days": str(procedure.time_limit_days),
        "time_limit_text": procedure.time_limit_text,
        "on_the_spot": procedure.on_the_spot,
        "online_level": procedure.online_level,
        "result_signature": procedure.result_signature,
        "valid_from": procedure.valid_from.isoformat(),
        "legal_basis": procedure.legal_basis,
        "documents": [
            {
                "id": d.pk,
                "name": d.name,
                "originals": d.originals,
                "copies": d.copies,
                "is_required": d.is_required,
                "condition": d.condition,
            }
            for d in procedure.documents.all()
        ],
        "fees": schedule_of(procedure),
        # The form's labels as received, so the answers read the same after the form changes.
        "form_schema": procedure.form_schema or [],
    }
