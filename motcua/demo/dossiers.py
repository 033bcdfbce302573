"""Demo dossiers for the demo province: a few hundred, in every state, made through the real services.

Each dossier is taken in at the desk (or submitted for the citizen by the community team, or by a
demo citizen account online) and then moved with `dossier_act(now=...)` at moments in the past, so
deadlines, overdue lists and apology drafts are what they would be in real life. Everything random
comes from `random.Random` seeded with the demo seed and the dossier's number, so the same seed
gives the same procedures, applicants and stories; dates are placed relative to the day of the run.

Idempotent: each dossier carries the idempotency key `demo-<seed>-<n>`; a key already present is
skipped, and each dossier is built in its own transaction, so a failed run leaves whole dossiers only.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.core.calendar import add_working_days, as_local, is_working_day
from motcua.core.models import COMMUNE_KINDS, Agency, AgencyKind, Person, Role, RoleAssignment, Unit, User
from motcua.dossiers.files import cleanup_on_error
from motcua.dossiers.models import Dossier, DossierEvent, ResultDelivery
from motcua.dossiers.selectors import form_initial
from motcua.dossiers.services import intake
from motcua.dossiers.services.deadlines import deadlines_refresh
from motcua.dossiers.services.form_data import dossier_form_data_set
from motcua.dossiers.services.intake_desk import DeskPaper, dossier_desk_intake
from motcua.dossiers.services.results import dossier_result_upload
from motcua.dossiers.services.workflow import dossier_act
from motcua.dossiers.workflows import ensure_default_workflows
from motcua.notifications.models import InboxMessage

PER_COMMUNE = 100
# The story of each dossier, and how many of each per commune (the rest are "processing").
SCENARIOS = {
    "registered": 5,  # submitted for the citizen by the community team, waiting for the desk
    "due_soon": 12,
    "overdue": 14,
    "supplement": 4,
    "resolved": 10,  # result signed, waiting to be handed back
    "returned": 22,
    "returned_late": 4,
    "on_the_spot": 5,
    "not_received": 3,
    "withdrawn": 2,
}
KEY_PREFIX = "demo"
MIN_RESIDENTS = 10


@dataclass
class Team:
    agency: Agency
    receptionist: User
    specialist: User
    leader: User
    outreach: User | None
    people: list[Person]
    residents: list[Person]
    # Submits for non-residents when the commune has none of its own (its team may not act for them).
    assister: User | None


@dataclass
class DemoDossiersResult:
    created: int = 0
    skipped: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def demo_pdf(title: str) -> bytes:
    """A small, well-formed one-page PDF (ASCII title) standing in for a scanned or signed document."""
    text = "".join(c for c in title if 32 <= ord(c) < 127).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 60 780 Td ({text[:80]}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scenario_plan(*, seed: int, per_commune: int = PER_COMMUNE) -> list[str]:
    """The scenario of each dossier of one commune, in a seeded order (pure: same seed, same list)."""
    plan = [name for name, count in SCENARIOS.items() for _ in range(count)]
    plan += ["processing"] * max(0, per_commune - len(plan))
    random.Random(f"motcua-demo:{seed}:dossier-plan").shuffle(plan)
    return plan[:per_commune]


# --- finding the demo teams -------------------------------------------------------------------


def _holder(agency: Agency, role: str, *, unit: Unit | None = None) -> User | None:
    scope = {"unit": unit} if unit is not None else {"agency": agency}
    assignment = (
        RoleAssignment.objects.filter(role=role, user__is_active=True, **scope)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return assignment.user if assignment else None


def demo_teams(province: Unit) -> list[Team]:
    """Commune committees that have a full team (receptionist, specialist, leader) and residents."""
    teams = []
    committees = Agency.objects.filter(
        kind=AgencyKind.COMMUNE_COMMITTEE, unit__parent=province, unit__kind__in=COMMUNE_KINDS, is_active=True
    ).select_related("unit")
    for agency in committees.order_by("code"):
        members = [_holder(agency, role) for role in (Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER)]
        if not all(members):
            continue
        demo_people = Person.objects.filter(is_demo=True).exclude(personal_id="").order_by("personal_id")
        residents = list(demo_people.filter(unit=agency.unit))
        people = list(residents)
        if len(people) < MIN_RESIDENTS:
            # A commune with few demo residents also serves people from elsewhere in the province.
            people += list(demo_people.filter(unit__parent=province).exclude(unit=agency.unit)[: MIN_RESIDENTS * 4])
        if people:
            outreach = _holder(agency, Role.OUTREACH_MEMBER, unit=agency.unit)
            assister = _holder(agency, Role.MANAGER, unit=province)
            teams.append(Team(agency, *members, outreach, people, residents, assister))
    return teams


# --- moments in the past ------------------------------------------------------------------------


def _working_day_back(now: datetime.datetime, days: int, hour: int, minute: int) -> datetime.datetime:
    day = as_local(now).date()
    while days > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=as_local(now).tzinfo)


class _Story:
    """One dossier's build: every step at its moment; events and messages stamped with it."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng, self.now = rng, now
        self.dossier: Dossier | None = None
        self.last_event = DossierEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.last_message = InboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def at(self, moment: datetime.datetime) -> datetime.datetime:
        # Never in the future, whatever the working-day arithmetic says.
        return min(moment, self.now - datetime.timedelta(minutes=5))

    def stamp(self, moment: datetime.datetime) -> None:
        """Give the rows written since the last stamp the story's time instead of the run's."""
        events = DossierEvent.objects.filter(dossier=self.dossier, pk__gt=self.last_event)
        self.last_event = max(events.values_list("pk", flat=True), default=self.last_event)
        events.update(at=moment)
        messages = InboxMessage.objects.filter(subject_type="dossier", subject_id=str(self.dossier.pk))
        messages = messages.filter(pk__gt=self.last_message)
        self.last_message = max(messages.values_list("pk", flat=True), default=self.last_message)
        messages.update(created_at=moment, updated_at=moment)

    def act(self, actor: User, action: str, moment: datetime.datetime, **params) -> None:
        moment = self.at(moment)
        self.dossier = dossier_act(dossier=self.dossier, actor=actor, action=action, now=moment, **params)
        self.stamp(moment)


def _after(start: datetime.datetime, days: Decimal | float) -> datetime.datetime:
    return add_working_days(start, Decimal(str(days)).quantize(Decimal("0.1")))


def _demo_answers(procedure: Procedure, person: Person, moment: datetime.datetime) -> dict:
    """The application form as the pages would open it for this person, with sample answers
    where a required field is still empty."""
    values = form_initial(procedure, person)
    for item in procedure.form_schema or []:
        key, kind = item["key"], item["type"]
        if values.get(key) not in ("", None) or not item.get("required"):
            continue
        if kind == "date":
            values[key] = (as_local(moment).date() - datetime.timedelta(days=20)).isoformat()
        elif kind == "choice":
            values[key] = item["choices"][0]
        elif kind == "number":
            values[key] = item.get("min") or 1
        elif kind == "phone":
            values[key] = person.phone or "0912345678"
        elif kind == "personal_id":
            values[key] = person.personal_id or "001085123456"
        elif kind == "place":
            values[key] = person.address or "Dữ liệu mẫu"
        else:
            values[key] = "Dữ liệu mẫu"
    return values


def _desk(story: _Story, team: Team, procedure: Procedure, person: Person, key: str, moment, **kwargs) -> None:
    papers = [DeskPaper(required_document_id=d.pk, received=True) for d in procedure.documents.all()]
    moment = story.at(moment)
    story.dossier = dossier_desk_intake(
        actor=team.receptionist,
        procedure=procedure,
        person=person,
        agency=team.agency,
        papers=papers,
        idempotency_key=key,
        form_data=_demo_answers(procedure, person, moment),
        now=moment,
        **kwargs,
    )
    Dossier.objects.filter(pk=story.dossier.pk).update(created_at=moment)
    story.stamp(moment)


def _online(story: _Story, actor: User, team: Team, procedure: Procedure, person: Person, key: str, moment) -> None:
    """Submitted online: by the citizen themselves, or by the community team with recorded consent."""
    moment = story.at(moment)
    assisted = actor.person_id != person.pk
    consent = (
        intake.Consent(
            text="Đồng ý để tổ công nghệ số cộng đồng nộp hồ sơ thay (dữ liệu mẫu).",
            how=intake.ConsentHow.SIGNED,
            at=moment,
        )
        if assisted
        else None
    )
    dossier, _created = intake.dossier_draft_create(
        actor=actor,
        procedure=procedure,
        person=person if assisted else None,
        agency=team.agency,
        consent=consent,
        idempotency_key=key,
    )
    for document in procedure.documents.all():
        if document.is_required and not document.condition:
            intake.dossier_document_upload(
                actor=actor, dossier=dossier, required_document_id=document.pk, upload=demo_pdf(document.name)
            )
    if procedure.form_schema:
        dossier_form_data_set(actor=actor, dossier=dossier, raw=_demo_answers(procedure, person, moment))
    story.dossier = intake.dossier_submit(actor=actor, dossier=dossier, now=moment)
    Dossier.objects.filter(pk=dossier.pk).update(created_at=moment)
    story.stamp(moment)


def _before_digital_signing(story: _Story) -> None:
    """Demo dossiers that the demo itself approves and returns are past dossiers, handled on paper
    (signed by hand) before results were signed digitally: their snapshot says so. Dossiers still
    waiting for the leader keep the procedure's rule, so approving them in the demo signs the result."""
    snapshot = {**(story.dossier.procedure_snapshot or {}), "result_signature": "none"}
    Dossier.objects.filter(pk=story.dossier.pk).update(procedure_snapshot=snapshot)
    story.dossier.procedure_snapshot = snapshot


def _work(story: _Story, team: Team, received: datetime.datetime, limit: Decimal, *, until: str, late: bool = False):
    """Appraise, approve and hand back, at moments spread over the time limit (or past it when late)."""
    stretch = Decimal("1.3") if late else Decimal("0.8")
    story.act(team.specialist, "appraise", _after(received, limit * stretch / 2), note="Hồ sơ hợp lệ, đủ điều kiện.")
    if until == "appraised":
        return
    approved = _after(received, limit * stretch)
    _before_digital_signing(story)
    story.act(team.leader, "approve", approved, note="Đồng ý.")
    if until == "resolved":
        return
    collector = story.dossier.applicant_personal_id
    story.act(
        team.receptionist,
        "return_result",
        _after(approved, Decimal("0.5")),
        mode="desk",
        collector_personal_id=collector,
    )


def _build_one(story: _Story, scenario: str, team: Team, procedures, quick, online, key: str) -> None:
    rng, now = story.rng, story.now
    person = rng.choice(team.people)
    pool = {"on_the_spot": quick, "registered": online}.get(scenario, procedures)
    procedure = rng.choice(pool)
    limit = Decimal(procedure.time_limit_days)
    hour, minute = rng.randint(7, 14), rng.choice((0, 10, 20, 30, 40, 50))
    limit_days = int(limit)
    back = {
        "registered": rng.randint(0, 2),
        "processing": rng.randint(0, max(0, limit_days - 2)),
        "due_soon": max(0, limit_days - 1),
        "overdue": limit_days + rng.randint(1, 6),
        "supplement": rng.randint(1, 4),
        "resolved": limit_days + rng.randint(0, 1),
        "returned": limit_days + rng.randint(3, 40),
        "returned_late": limit_days * 2 + rng.randint(3, 20),
        "on_the_spot": rng.randint(0, 30),
        "not_received": rng.randint(0, 20),
        "withdrawn": rng.randint(2, 10),
    }[scenario]
    start = _working_day_back(now, back, hour, minute)

    if scenario == "registered":
        if team.residents and team.outreach:
            person, actor = rng.choice(team.residents), team.outreach
        else:
            actor = team.assister
        if actor is not None:
            _online(story, actor, team, procedure, person, key, start)
            return
    if scenario == "not_received":
        reason = "Thủ tục không thuộc thẩm quyền giải quyết của UBND xã (dữ liệu mẫu)."
        _desk(story, team, procedure, person, key, start, outcome="refuse_intake", refusal_reason=reason)
        return
    _desk(story, team, procedure, person, key, start, outcome="receive")
    if scenario == "on_the_spot":
        # Resolved on the spot: the result is ready the moment the file is received.
        _before_digital_signing(story)
        story.act(team.receptionist, "result_ready", start)
        story.act(
            team.receptionist,
            "return_result",
            start + datetime.timedelta(minutes=15),
            mode="desk",
            collector_personal_id=story.dossier.applicant_personal_id,
        )
    elif scenario == "supplement":
        items = [f"{procedure.documents.first().name if procedure.documents.exists() else 'Giấy tờ'}: bản rõ nét hơn"]
        story.act(team.specialist, "request_supplement", _after(start, Decimal("0.5")), items=items)
    elif scenario == "withdrawn":
        story.act(team.receptionist, "withdraw", _after(start, 1), reason="Người nộp có đơn xin rút hồ sơ.")
    elif scenario == "overdue" and rng.random() < 0.5:
        _work(story, team, start, limit, until="appraised", late=True)
    elif scenario in ("resolved", "returned", "returned_late"):
        _work(
            story,
            team,
            start,
            limit,
            until="resolved" if scenario == "resolved" else "returned",
            late=scenario == "returned_late",
        )


def _citizen_story(story: _Story, citizen: User, team: Team, procedure: Procedure, key: str) -> None:
    """A demo citizen's own dossier, submitted online and returned electronically with a result file:
    the result then shows on their page and is offered for reuse in their next submission."""
    limit = Decimal(procedure.time_limit_days)
    start = _working_day_back(story.now, int(limit) + 5, 9, 0)
    _online(story, citizen, team, procedure, citizen.person, key, start)
    story.act(team.receptionist, "receive", start + datetime.timedelta(hours=1))
    _work(story, team, start, limit, until="resolved")
    dossier_result_upload(
        actor=team.receptionist,
        dossier=story.dossier,
        upload=demo_pdf(f"Ket qua giai quyet {story.dossier.code}"),
        name=f"Kết quả: {procedure.name}",
    )
    story.stamp(story.at(_after(start, limit)))
    story.act(team.receptionist, "return_result", _after(start, limit + 1), mode=ResultDelivery.ELECTRONIC)


def demo_dossiers_build(
    *, province: Unit, seed: int, per_commune: int = PER_COMMUNE, now: datetime.datetime | None = None
) -> DemoDossiersResult:
    """Build the demo dossiers of the province's demo communes; safe to run again (adds nothing)."""
    now = now or timezone.now()
    ensure_default_workflows()
    result = DemoDossiersResult()
    teams = demo_teams(province)
    commune_procs = Procedure.objects.filter(agency_kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).prefetch_related(
        "documents"
    )
    procedures = [p for p in commune_procs.filter(on_the_spot=False, time_limit_days__gte=2).order_by("code")]
    quick = [p for p in commune_procs.filter(on_the_spot=True).order_by("code")] or procedures
    if not teams or not procedures:
        return result
    existing = set(
        Dossier.objects.filter(idempotency_key__startswith=f"{KEY_PREFIX}-{seed}-").values_list(
            "idempotency_key", flat=True
        )
    )
    online = [p for p in procedures if p.online_level != OnlineLevel.NONE]
    plan = scenario_plan(seed=seed, per_commune=per_commune)
    citizens = list(User.objects.filter(person__is_demo=True, is_officer=False).order_by("username"))
    for team_index, team in enumerate(teams):
        for index, scenario in enumerate(plan):
            key = f"{KEY_PREFIX}-{seed}-{team.agency.unit.code}-{index:04d}"
            if key in existing:
                result.skipped += 1
                continue
            rng = random.Random(f"motcua-demo:{seed}:dossier:{key}")
            with cleanup_on_error(), transaction.atomic():
                story = _Story(rng, now)
                _build_one(story, scenario, team, procedures, quick, online or procedures, key)
            result.created += 1
            result.by_status[story.dossier.status] = result.by_status.get(story.dossier.status, 0) + 1
        citizen = citizens[team_index] if online and len(citizens) > team_index else None
        key = f"{KEY_PREFIX}-{seed}-{team.agency.unit.code}-citizen"
        if citizen is not None and key not in existing:
            with cleanup_on_error(), transaction.atomic():
                story = _Story(random.Random(key), now)
                _citizen_story(story, citizen, team, online[0], key)
            result.created += 1
            result.by_status[story.dossier.status] = result.by_status.get(story.dossier.status, 0) + 1
    if result.created:
        # The deadline job marks due-soon and overdue dossiers and drafts their apologies "now".
        deadlines_refresh(now)
        DossierEvent.objects.filter(dossier__idempotency_key__startswith=f"{KEY_PREFIX}-{seed}-", at__gt=now).update(
            at=now
        )
    return result
