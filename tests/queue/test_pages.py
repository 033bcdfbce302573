import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.models import Person
from motcua.queue.models import Ticket, TicketCall, TicketChannel, TicketStatus
from motcua.queue.services import call_next, finish_serving, issue_ticket, start_serving

pytestmark = pytest.mark.django_db


def test_kiosk_issue_flow_without_js(client, office_a, group_a, priorities):
    url = reverse("queue:kiosk", args=[office_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Hộ tịch" in page.content.decode()
    # A citizen who booked goes to the booking check-in from the kiosk's first screen.
    assert f'href="{reverse("appointments:checkin", args=[office_a.pk])}"' in page.content.decode()
    chosen = client.get(url, {"nhom": "ho-tich"})
    assert "Người cao tuổi" in chosen.content.decode()
    response = client.post(url + "?giay=58", {"group": "ho-tich", "priority": "elderly", "phone": ""})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.priority.code == "elderly" and ticket.channel == TicketChannel.KIOSK
    slip = client.get(response["Location"])
    body = slip.content.decode()
    assert slip.status_code == 200
    assert "A001" in body and "<svg" in body and "size: 58mm auto" in body
    assert reverse("queue:follow", args=[ticket.follow_token]) in body or "%2F" in body


def test_kiosk_refusals(client, office_a, group_a):
    url = reverse("queue:kiosk", args=[office_a.pk])
    bad_phone = client.post(url, {"group": "ho-tich", "priority": "", "phone": "abc"})
    assert bad_phone.status_code == 422 and "Số điện thoại không hợp lệ" in bad_phone.content.decode()
    unknown_priority = client.post(url, {"group": "ho-tich", "priority": "nope"})
    assert unknown_priority.status_code == 422
    assert client.post(url, {"group": "nope"}).status_code == 404
    assert client.get(reverse("queue:kiosk", args=[999999])).status_code == 404
    assert not Ticket.objects.exists()


def test_kiosk_throttle_at_the_limit(client, settings, office_a, group_a):
    settings.QUEUE_KIOSK_LIMIT = 2
    url = reverse("queue:kiosk", args=[office_a.pk])
    assert client.post(url, {"group": "ho-tich", "priority": ""}).status_code == 302
    assert client.post(url, {"group": "ho-tich", "priority": ""}).status_code == 302
    third = client.post(url, {"group": "ho-tich", "priority": ""})
    assert third.status_code == 429
    assert Ticket.objects.count() == 2


def test_follow_page_shows_standing_and_no_personal_data(client, group_a, counter_a1, desk_a):
    person = Person.objects.create(full_name="Nguyễn Văn Bí Mật", personal_id="096200000001", phone="0912345678")
    first = issue_ticket(group=group_a, channel=TicketChannel.KIOSK)
    mine = issue_ticket(group=group_a, channel=TicketChannel.BOOKING, phone="0912345678", person=person)
    page = client.get(reverse("queue:follow", args=[mine.follow_token])).content.decode()
    assert "A002" in page and 'data-testid="people-ahead">1<' in page
    for secret in ("Bí Mật", "096200000001", "0912345678", "912"):
        assert secret not in page
    assert call_next(counter=counter_a1, officer=desk_a).pk == first.pk
    finish_serving(start_serving(Ticket.objects.get(pk=first.pk), desk_a), desk_a)
    call_next(counter=counter_a1, officer=desk_a)
    page = client.get(reverse("queue:follow", args=[mine.follow_token])).content.decode()
    assert "Đã đến lượt" in page and "Quầy 1" in page
    assert client.get(reverse("queue:follow", args=["x" * 30])).status_code == 404


def test_desk_page_actions(client, group_a, group_b_civil, counter_a1, counter_a2, desk_a):
    issue_ticket(group=group_a, channel=TicketChannel.KIOSK, phone="0912345678")
    client.force_login(desk_a)
    url = reverse("queue:desk", args=[counter_a1.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "call_next"})
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.CALLED
    client.post(url, {"action": "recall", "ticket": ticket.pk})
    assert TicketCall.objects.count() == 2
    client.post(url, {"action": "start", "ticket": ticket.pk})
    client.post(url, {"action": "finish", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    page = client.get(url).content.decode()
    assert reverse("ratings:desk", args=[counter_a1.pk]) in page
    intake = reverse("dossiers:desk_intake") + "?q=0912345678&amp;phone=0912345678"
    assert intake in page
    # The intake page finds nobody by that phone and pre-fills the new-person form with it.
    form = client.get(intake.replace("&amp;", "&")).content.decode()
    assert 'name="phone" type="tel" value="0912345678"' in form
    # Transfer: call the next, send it to group B.
    second = issue_ticket(group=group_a, channel=TicketChannel.KIOSK)
    client.post(url, {"action": "call_next"})
    client.post(url, {"action": "transfer", "ticket": second.pk, "target": f"group:{group_b_civil.pk}"})
    second.refresh_from_db()
    assert second.group == group_b_civil and second.status == TicketStatus.WAITING
    assert client.post(url, {"action": "start", "ticket": "abc"}).status_code == 404
    assert client.post(url, {"action": "bogus", "ticket": second.pk}).status_code == 404


def test_desk_intake_link_prefills_person(group_a):
    from motcua.queue.views.desk import intake_url

    person = Person.objects.create(full_name="Trần Thị C", personal_id="096200000002")
    ticket = issue_ticket(group=group_a, channel=TicketChannel.BOOKING, person=person)
    assert intake_url(ticket).endswith(f"?person={person.pk}&cccd=096200000002")


def test_officer_of_another_commune_cannot_operate_counter(client, group_a, counter_a1, desk_b, desk_a):
    issue_ticket(group=group_a, channel=TicketChannel.KIOSK)
    client.force_login(desk_b)
    url = reverse("queue:desk", args=[counter_a1.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "call_next"}).status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING
    # Nor act on a ticket called at office A's counter.
    ticket = call_next(counter=counter_a1, officer=desk_a)
    from motcua.core.errors import NotFound
    from motcua.queue.services import recall

    with pytest.raises(NotFound):
        recall(ticket, desk_b)
    with pytest.raises(NotFound):
        call_next(counter=counter_a1, officer=desk_b)


def test_citizen_and_visitor_cannot_open_desk(client, counter_a1, group_a):
    url = reverse("queue:desk", args=[counter_a1.pk])
    assert client.get(url).status_code == 302  # to sign in
    from tests.factories import CitizenUserFactory

    client.force_login(CitizenUserFactory())
    assert client.get(url).status_code == 404


def _served(group, counter, officer, n):
    for _i in range(n):
        issue_ticket(group=group, channel=TicketChannel.KIOSK)
        ticket = call_next(counter=counter, officer=officer)
        finish_serving(start_serving(ticket, officer), officer)


def test_figures_page_and_xlsx_scoped_to_manager(
    client, group_a, group_b, counter_a1, counter_b1, desk_a, desk_b, manager_a
):
    _served(group_a, counter_a1, desk_a, 2)
    _served(group_b, counter_b1, desk_b, 3)
    client.force_login(manager_a)
    page = client.get(reverse("queue:figures"))
    assert page.status_code == 200
    assert page.context["data"]["total"]["tickets"] == 2
    assert [o.pk for o in page.context["data"]["offices"]] == [group_a.office_id]
    xlsx = client.get(reverse("queue:figures_xlsx"))
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert "Theo quầy" in workbook.sheetnames
    # Asking for office B's figures by id: not found.
    assert client.get(reverse("queue:figures"), {"bo-phan": group_b.office_id}).status_code == 404
    bad = client.get(reverse("queue:figures"), {"tu": "2026-05-10", "den": "2026-05-01"})
    assert bad.status_code == 422 and "Ngày bắt đầu" in bad.content.decode()


def test_figures_refused_to_receptionist(client, desk_a):
    client.force_login(desk_a)
    assert client.get(reverse("queue:figures")).status_code == 404


def test_desk_index_lists_own_counters_and_workspace_links(client, counter_a1, counter_b1, desk_a, manager_a):
    from motcua.portal.workspace import workspace_panels

    client.force_login(desk_a)
    page = client.get(reverse("queue:desks")).content.decode()
    assert reverse("queue_board:board", args=[counter_a1.office_id]) in page
    assert reverse("queue:desk", args=[counter_a1.pk]) in page
    assert reverse("queue:desk", args=[counter_b1.pk]) not in page
    links = [url for panel in workspace_panels(desk_a) for _label, url in panel.links]
    assert reverse("queue:desks") in links
    links = [url for panel in workspace_panels(manager_a) for _label, url in panel.links]
    assert reverse("queue:figures") in links


def test_officer_issues_at_desk_and_sets_priority(client, group_a, counter_a1, desk_a, desk_b, priorities):
    from motcua.core.errors import DomainError, NotFound
    from motcua.queue.services import set_priority

    client.force_login(desk_a)
    url = reverse("queue:desk", args=[counter_a1.pk])
    client.post(url, {"action": "issue", "group": "ho-tich", "priority": "disability", "phone": ""})
    walkin = issue_ticket(group=group_a, channel=TicketChannel.KIOSK)
    desk_ticket = Ticket.objects.get(channel=TicketChannel.DESK)
    assert desk_ticket.priority.code == "disability"
    page = client.get(url).content.decode()
    assert "Cấp số tại quầy" in page and walkin.code in page
    client.post(url, {"action": "priority", "ticket": walkin.pk, "priority": "war-invalid"})
    walkin.refresh_from_db()
    assert walkin.priority.code == "war-invalid"
    # Weight 40 now goes before the desk ticket's 30.
    assert call_next(counter=counter_a1, officer=desk_a).pk == walkin.pk
    # Not once it was called; not by another commune's officer; an unknown group is refused.
    with pytest.raises(DomainError) as err:
        set_priority(Ticket.objects.get(pk=walkin.pk), desk_a, None)
    assert err.value.code == "action_not_allowed"
    with pytest.raises(NotFound):
        set_priority(desk_ticket, desk_b, None)
    client.post(url, {"action": "issue", "group": "nope", "priority": ""})
    assert Ticket.objects.count() == 2
    client.force_login(desk_b)
    assert client.post(url, {"action": "issue", "group": "ho-tich"}).status_code == 404
    assert Ticket.objects.count() == 2
