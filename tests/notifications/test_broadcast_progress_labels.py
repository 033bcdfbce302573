"""Issue #14: the broadcast progress lists delivery statuses by their labels, never their codes."""

import pytest
from django.template.loader import render_to_string

from motcua.notifications.broadcasts import selectors as sel
from motcua.notifications.broadcasts import sending
from motcua.notifications.broadcasts import services as svc
from motcua.notifications.models import Message, MessageStatus

from ._broadcast_world import make_world, residents

pytestmark = pytest.mark.django_db


def test_progress_rows_are_labelled():
    w = make_world()
    residents(w.a, None, 3)
    broadcast = svc.broadcast_create(
        actor=w.author, title="Tiêm chủng", body="Mời bà con đưa trẻ đi tiêm chủng.", unit_ids=[w.a.pk]
    )
    svc.broadcast_submit(actor=w.author, broadcast=broadcast)
    broadcast = svc.broadcast_approve(actor=w.leader, broadcast=broadcast)
    sending.broadcasts_dispatch()
    first = Message.objects.filter(broadcast=broadcast).order_by("id").first()
    Message.objects.filter(pk=first.pk).update(status=MessageStatus.DELIVERED)
    progress = sel.broadcast_progress(broadcast)
    rows = {status: (str(label), n) for status, label, n in progress["status_rows"]}
    assert rows["delivered"] == ("Đã đến người nhận", 1)
    assert all(n for _label, n in rows.values())  # statuses with no message are left out
    html = render_to_string(
        "notifications/broadcasts/_progress.html", {"broadcast": broadcast, "progress": progress, "polling": False}
    )
    assert "Đã đến người nhận: 1" in html and "delivered:" not in html
