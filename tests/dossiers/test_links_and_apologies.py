"""Navigation links to the dossier pages, the online-submission button for procedure pages, the
"apology drafts waiting" list for officers, and the citizen inbox read through the selector."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from motcua.dossiers import selectors
from motcua.dossiers.services.deadlines import apology_draft, apology_send
from motcua.notifications.services import notify
from tests.factories import PersonFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _nav(client, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("dossiers:lookup")).content.decode()


def test_navigation_links_by_kind_of_user(client, citizen, receptionist_a, specialist_a):
    lookup, mine, inbox = (reverse(f"dossiers:{n}") for n in ("lookup", "my_list", "inbox"))
    queue, desk = reverse("dossiers:queue"), reverse("dossiers:desk_intake")

    page = _nav(client)
    assert f'href="{lookup}"' in page and f'href="{mine}"' not in page and f'href="{queue}"' not in page

    page = _nav(client, citizen)
    assert f'href="{mine}"' in page and f'href="{inbox}"' in page and f'href="{queue}"' not in page

    page = _nav(client, receptionist_a)
    assert f'href="{queue}"' in page and f'href="{desk}"' in page and f'href="{mine}"' not in page

    page = _nav(client, specialist_a)
    assert f'href="{queue}"' in page and f'href="{desk}"' not in page


def test_submit_button_only_for_online_procedures():
    template = Template("{% load dossier_links %}{% dossier_submit_button procedure %}")
    online = ProcedureFactory(online_level="full")
    offline = ProcedureFactory(online_level="none")
    html = template.render(Context({"procedure": online}))
    assert reverse("dossiers:submit", args=[online.code]) in html and "Nộp hồ sơ trực tuyến" in html
    assert template.render(Context({"procedure": offline})).strip() == ""


def test_apology_drafts_listed_for_the_officer_until_sent(client, received_dossier, receptionist_a, officers):
    letter = apology_draft(dossier=received_dossier, actor=receptionist_a, reason="Cần xác minh thêm.")
    assert selectors.apology_drafts_for(receptionist_a) == [letter]
    assert selectors.apology_drafts_for(officers["b"]["receptionist"]) == []

    client.force_login(receptionist_a)
    queue = client.get(reverse("dossiers:queue")).content.decode()
    assert "Phiếu xin lỗi chờ gửi" in queue and received_dossier.code in queue
    detail = client.get(reverse("dossiers:officer_detail", args=[received_dossier.code])).content.decode()
    assert "badge-apology" in detail

    apology_send(dossier=received_dossier, actor=receptionist_a)
    assert selectors.apology_drafts_for(receptionist_a) == []
    assert "Phiếu xin lỗi chờ gửi" not in client.get(reverse("dossiers:queue")).content.decode()


def test_drafts_for_the_officer_come_first(make_received_dossier, receptionist_a, specialist_a):
    first, second = make_received_dossier(), make_received_dossier()
    apology_draft(dossier=first, actor=receptionist_a)
    mine = apology_draft(dossier=second, actor=specialist_a)
    assert selectors.apology_drafts_for(specialist_a)[0] == mine


def test_inbox_page_shows_only_own_messages(client, citizen):
    notify(person=citizen.person, event="dossier.received", title="Thư của tôi", body="…", dedupe_key="t-1")
    notify(person=PersonFactory(), event="dossier.received", title="Thư người khác", body="…", dedupe_key="t-2")
    client.force_login(citizen)
    page = client.get(reverse("dossiers:inbox")).content.decode()
    assert "Thư của tôi" in page and "Thư người khác" not in page


def test_catalog_procedure_page_links_to_online_submission(client):
    online = ProcedureFactory(online_level="full")
    offline = ProcedureFactory(online_level="none")
    page = client.get(reverse("catalog:procedure", args=[online.code]))
    assert page.status_code == 200
    assert reverse("dossiers:submit", args=[online.code]) in page.content.decode()
    page = client.get(reverse("catalog:procedure", args=[offline.code]))
    assert reverse("dossiers:submit", args=[offline.code]) not in page.content.decode()
