"""Rollups kept in step with dossier events agree with a rebuild from the records."""

from django.core.management import call_command

from motcua.dossiers.models import Channel, DossierStatus
from motcua.dossiers.services.records import dossier_record
from motcua.serviceindex.models import IndexRollup
from motcua.serviceindex.services import rollups_rebuild

from .conftest import at


def _snapshot():
    return sorted(
        IndexRollup.objects.values_list(
            "agency_id", "unit_id", "month", "measure", "numerator", "denominator", "weight_numerator",
            "weight_denominator",
        )
    )  # fmt: skip


def _resolve(dossier, *, late: bool, when):
    """A status change through the dossiers' recording step (which publishes dossier.status_changed)."""
    from_status = dossier.status
    dossier.status = DossierStatus.RESOLVED
    dossier.resolved_at = when
    dossier.finished_late = late
    dossier.save()
    dossier_record(dossier, actor=None, action="approve", from_status=from_status, data={})


def test_incremental_rollups_equal_rebuilt(
    make_received_dossier, make_dossier, officers, agency_a, agency_b, commune_a
):
    from motcua.core.models import Role
    from motcua.dossiers.services.workflow import dossier_receive

    other = make_dossier(channel=Channel.ONLINE, receiving_agency=agency_b)
    dossier_receive(dossier=other, actor=officers["b"][Role.RECEPTIONIST], now=at("2026-04-01", 8))
    received = [
        make_received_dossier(at=at("2026-03-02"), channel=Channel.ONLINE),
        make_received_dossier(at=at("2026-03-03"), channel=Channel.COUNTER),
        make_received_dossier(at=at("2026-03-31", 23, 50), channel=Channel.COUNTER),
    ]
    # The event hook filled the cells as the dossiers were received.
    cell = IndexRollup.objects.get(agency=agency_a, measure="online_submitted", month="2026-03-01")
    assert (cell.numerator, cell.denominator, cell.unit_id) == (1, 3, commune_a.pk)
    _resolve(received[0], late=False, when=at("2026-03-20"))
    _resolve(received[1], late=True, when=at("2026-04-02"))
    cell = IndexRollup.objects.get(agency=agency_a, measure="on_time", month="2026-04-01")
    assert (cell.numerator, cell.denominator) == (0, 1)
    # The weighted measure (avg_time) is kept too: its sums of minutes allowed and used, from the
    # clock's start the reception set to the due date and to the resolution.
    weighted = IndexRollup.objects.filter(measure="avg_time").order_by("month")
    assert [(c.month.month, c.denominator) for c in weighted] == [(3, 1), (4, 1)]
    assert all(c.weight_numerator > 0 and c.weight_denominator > 0 for c in weighted)
    incremental = _snapshot()
    assert incremental  # something was counted
    rollups_rebuild()
    assert _snapshot() == incremental
    # The command does the same, and `--months` only recounts the recent months.
    IndexRollup.objects.all().delete()
    call_command("rebuild_index_rollups")
    assert _snapshot() == incremental


def test_a_refused_action_leaves_no_rollup(make_dossier, agency_a):
    """The rollup is written in the dossier action's transaction: an action undone undoes it."""
    from django.db import transaction

    dossier = make_dossier(channel=Channel.ONLINE)
    try:
        with transaction.atomic():
            dossier.status = DossierStatus.RECEIVED
            dossier.received_at = at("2026-03-02")
            dossier.save()
            dossier_record(dossier, actor=None, action="receive", from_status=DossierStatus.REGISTERED, data={})
            assert IndexRollup.objects.filter(measure="online_submitted").exists()
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert not IndexRollup.objects.exists()


def test_synced_agrees_with_the_sync_contract(make_received_dossier, agency_a):
    """The adapter's count equals `nationalsync.selectors.sync_rate` (the sync helper's contract)."""
    from motcua.dossiers.models import Dossier
    from motcua.nationalsync.models import SyncMessage, SyncState
    from motcua.nationalsync.selectors import sync_rate
    from motcua.serviceindex.sync_adapter import synced

    dossiers = [make_received_dossier(at=at("2026-03-02")) for _ in range(3)]
    SyncMessage.objects.filter(dossier=dossiers[0]).update(state=SyncState.SENT)
    SyncMessage.objects.filter(dossier=dossiers[1]).update(state=SyncState.REJECTED)
    rows = Dossier.objects.filter(received_at__gte=at("2026-03-01", 0), received_at__lt=at("2026-04-01", 0))
    expected = sync_rate(start=at("2026-03-01", 0), end=at("2026-04-01", 0))
    assert (synced(rows).count(), rows.count()) == expected
    assert (
        expected[1] == 3
        and expected[0] == SyncMessage.objects.filter(state=SyncState.SENT).values("dossier").distinct().count()
    )


def _marks():
    from motcua.serviceindex.models import IndexMark

    return sorted(
        IndexMark.objects.values_list(
            "dossier_id", "measure", "agency_id", "month", "numerator", "weight_numerator", "weight_denominator"
        )
    )


def _event(dossier, **changes):
    """Change the dossier's record, then a status change through the recording step."""
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.save()
    # The topic is published on a status change only: record one (from another status).
    other = DossierStatus.PROCESSING if dossier.status != DossierStatus.PROCESSING else DossierStatus.RECEIVED
    dossier_record(dossier, actor=None, action="note", from_status=other, data={})


def _agrees_with_rebuild(since=None):
    incremental, marks = _snapshot(), _marks()
    rollups_rebuild(since=since)
    assert (_snapshot(), _marks()) == (incremental, marks)


def test_increments_follow_a_dossier_moving_between_cells(make_received_dossier, agency_a, agency_b):
    """Numerator in, numerator out, a move to another month and to another agency: each event adds the
    difference, the emptied cell goes away, and the cells and marks equal a rebuild (full and partial)."""
    import datetime

    stays = make_received_dossier(at=at("2026-03-02"), channel=Channel.COUNTER)
    moving = make_received_dossier(at=at("2026-03-03"), channel=Channel.COUNTER)

    def cell(month, agency=agency_a):
        found = IndexRollup.objects.filter(agency=agency, measure="online_submitted", month=month).first()
        return found and (found.numerator, found.denominator)

    assert cell("2026-03-01") == (0, 2)
    _event(moving, channel=Channel.ONLINE)  # into the numerator, same cell
    assert cell("2026-03-01") == (1, 2)
    _agrees_with_rebuild()
    _event(moving, channel=Channel.COUNTER)  # out again
    assert cell("2026-03-01") == (0, 2)
    _event(moving, channel=Channel.ONLINE, received_at=at("2026-04-01", 0, 5))  # another month
    assert (cell("2026-03-01"), cell("2026-04-01")) == ((0, 1), (1, 1))
    _agrees_with_rebuild(since=datetime.date(2026, 4, 1))
    _event(stays, receiving_agency=agency_b)  # another agency: agency A's March cell empties
    assert (cell("2026-03-01"), cell("2026-03-01", agency_b)) == (None, (0, 1))
    assert not IndexRollup.objects.filter(agency=agency_a, month="2026-03-01").exists()
    _agrees_with_rebuild()
    # A resolution, then the resolution moved within the month: the weights change in the same cell.
    _event(moving, status=DossierStatus.RESOLVED, resolved_at=at("2026-04-10"))
    _event(moving, resolved_at=at("2026-04-20"))
    weighted = IndexRollup.objects.get(agency=agency_a, measure="avg_time", month="2026-04-01")
    assert weighted.denominator == 1 and weighted.weight_denominator > 0
    _agrees_with_rebuild(since=datetime.date(2026, 4, 1))
    _event(stays)  # nothing the index counts changed: nothing touched
    from motcua.serviceindex.services import dossier_cells_refresh

    assert dossier_cells_refresh(stays) == 0
    _agrees_with_rebuild()
    # Cells deleted by hand since: taking the dossier out of its missing cell is a no-op (no error, no
    # negative count); its new cell is counted, and a rebuild puts the rest back.
    IndexRollup.objects.filter(agency=agency_b).delete()
    _event(stays, receiving_agency=agency_a)
    assert cell("2026-03-01") == (0, 1) and not IndexRollup.objects.filter(agency=agency_b).exists()
    _agrees_with_rebuild()
