"""'Due today' on the workspace and the officer list: open dossiers on the clock whose deadline falls on
the local calendar day, at both edges of the day; the list says which filter it shows and keeps it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import selectors
from motcua.dossiers.models import DossierStatus, StepKind

from .test_workspace import _figures

pytestmark = pytest.mark.django_db

# 14:00 in Ho Chi Minh City time (the project's zone): "today" is 2026-12-07 there.
NOW = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=datetime.UTC)


def _local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute, second))


def _codes(user, **filters) -> set[str]:
    items, _next = selectors.dossier_queue(user, queue="office", now=NOW, **filters)
    return {d.code for d in items}


def test_due_today_takes_the_whole_local_day_and_nothing_either_side(make_dossier, agency_b, specialist_a):
    assert timezone.localdate(NOW) == datetime.date(2026, 12, 7)
    open_ = DossierStatus.PROCESSING
    first = make_dossier(status=open_, due_at=_local(7, 0, 0, 0))
    last = make_dossier(status=open_, due_at=_local(7, 23, 59, 59))
    tomorrow = make_dossier(status=open_, due_at=_local(8, 0, 0, 0))
    yesterday = make_dossier(status=open_, due_at=_local(6, 23, 59, 59))
    paused = make_dossier(status=DossierStatus.SUPPLEMENT_REQUESTED, due_at=_local(7, 10))
    resolved = make_dossier(status=DossierStatus.RESOLVED, due_at=_local(7, 10))
    elsewhere = make_dossier(status=open_, due_at=_local(7, 10), receiving_agency=agency_b)
    found = _codes(specialist_a, due="today")
    assert found == {first.code, last.code}
    for left_out in (tomorrow, yesterday, paused, resolved, elsewhere):
        assert left_out.code not in found
    assert selectors.dossier_queue_count(specialist_a, queue="office", due="today", now=NOW) == 2
    # Any other value is no filter at all.
    assert {first.code, last.code, tomorrow.code, yesterday.code} <= _codes(specialist_a, due="tomorrow")


def test_the_workspace_counts_due_today_and_links_to_that_list(make_dossier, receptionist_a, specialist_a):
    now = timezone.now()
    end_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time(23, 59, 59)))
    make_dossier(status=DossierStatus.PROCESSING, due_at=end_of_today)
    make_dossier(status=DossierStatus.PROCESSING, due_at=end_of_today + datetime.timedelta(seconds=1))
    url = reverse("dossiers:queue") + "?tab=office&due=today"
    assert _figures(receptionist_a)["receptionist"]["Đến hạn hôm nay"] == (1, url)
    assert _figures(specialist_a)["specialist"]["Đến hạn hôm nay"] == (1, url)


def test_the_list_names_its_hidden_filters_and_keeps_them_in_its_form(client, make_dossier, leader_a):
    client.force_login(leader_a)
    page = client.get(reverse("dossiers:queue") + "?tab=office&due=today&step=approve").content.decode()
    assert "Đang lọc: đến hạn hôm nay; đang ở bước “" + str(StepKind.APPROVE.label) + "”." in page
    assert '<input type="hidden" name="due" value="today">' in page
    assert '<input type="hidden" name="step" value="approve">' in page
    assert 'href="?tab=office">Bỏ lọc</a>' in page
    plain = client.get(reverse("dossiers:queue") + "?tab=office&due=yesterday").content.decode()
    assert "Đang lọc:" not in plain and 'name="due"' not in plain
