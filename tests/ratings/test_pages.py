"""Rating pages: token page (no login), portal, desk tablet, statistics."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.core.models import Counter, Role
from motcua.ratings import services
from motcua.ratings.models import Rating, RatingInvitation
from tests.factories import CitizenUserFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _token(dossier) -> str:
    return services.invitation_create(dossier=dossier)[1]


def test_token_page_shows_four_levels_and_reasons_and_works_without_js(client, return_dossier):
    dossier = return_dossier()
    token = _token(dossier)
    page = client.get(f"/danh-gia/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and dossier.code in html
    for label in ("Rất hài lòng", "Hài lòng", "Chấp nhận được", "Không hài lòng"):
        assert label in html
    assert html.count('type="radio" name="level"') == 4
    # The rating form itself needs no script (the site-wide chat box after it loads its own, deferred).
    main = html.split("<main")[-1].split("</main>")[0]
    assert "Cán bộ gây khó khăn, phiền hà" in main and "<script" not in main
    answer = client.post(f"/danh-gia/{token}/", {"level": "4", "reasons": ["dung-hen"], "comment": "Cảm ơn"})
    assert answer.status_code == 302 and answer["Location"] == "/danh-gia/cam-on/"
    assert "Cảm ơn ông/bà đã đánh giá" in client.get(answer["Location"]).content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.level, rating.channel, rating.comment) == (4, "sms", "Cảm ơn")
    again = client.get(f"/danh-gia/{token}/")
    assert again.status_code == 200 and "đã được đánh giá" in again.content.decode()
    posted_again = client.post(f"/danh-gia/{token}/", {"level": "1"})
    assert "đã được đánh giá" in posted_again.content.decode() and Rating.objects.count() == 1


def test_token_page_errors_are_friendly(client, return_dossier):
    token = _token(return_dossier())
    bad = client.post(f"/danh-gia/{token}/", {"level": "1", "reasons": ["dung-hen"]})
    assert bad.status_code == 422 and "chỉ chọn các lý do chưa tốt" in bad.content.decode()
    assert "checked" in bad.content.decode()  # the choices are kept
    missing = client.post(f"/danh-gia/{token}/", {})
    assert missing.status_code == 422 and "Vui lòng chọn một mức độ" in missing.content.decode()
    unknown = client.get("/danh-gia/khong-co/")
    assert unknown.status_code == 200 and "không đúng" in unknown.content.decode()
    zalo = client.post(f"/danh-gia/{token}/?kenh=zalo", {"level": "3"})
    assert zalo.status_code == 302 and Rating.objects.get().channel == "zalo"


def test_expired_token_page(client, return_dossier):
    invitation, token = services.invitation_create(dossier=return_dossier())
    RatingInvitation.objects.filter(pk=invitation.pk).update(expires_at="2020-01-01T00:00:00Z")
    page = client.get(f"/danh-gia/{token}/")
    assert "hết hạn" in page.content.decode()


def test_portal_button_and_own_dossier_only(client, return_dossier, citizen, commune_a):
    dossier = return_dossier()
    client.force_login(citizen)
    detail = client.get(dossier.get_absolute_url()).content.decode()
    assert f"/danh-gia/ho-so/{dossier.code}/" in detail
    stranger = Client()
    stranger.force_login(CitizenUserFactory(person=PersonFactory(unit=commune_a)))
    assert stranger.get(f"/danh-gia/ho-so/{dossier.code}/").status_code == 404
    assert stranger.post(f"/danh-gia/ho-so/{dossier.code}/", {"level": "4"}).status_code == 404
    assert Client().get(f"/danh-gia/ho-so/{dossier.code}/").status_code == 302  # sign in first
    page = client.get(f"/danh-gia/ho-so/{dossier.code}/")
    assert page.status_code == 200 and "Rất hài lòng" in page.content.decode()
    assert client.post(f"/danh-gia/ho-so/{dossier.code}/", {"level": "3"}).status_code == 302
    assert Rating.objects.get(dossier=dossier).channel == "portal"
    assert "đã đánh giá" in client.get(f"/danh-gia/ho-so/{dossier.code}/").content.decode()


def _signed_out(client: Client) -> Client:
    """The tablet after the officer signed out: only the device cookie remains."""
    tablet = Client()
    tablet.cookies["motcua_desk"] = client.cookies["motcua_desk"].value
    return tablet


def test_desk_tablet_flow(return_dossier, counter_a, receptionist_a, receptionist_b):
    tablet = Client()
    url = f"/danh-gia/quay/{counter_a.pk}/"
    unpaired = tablet.get(url).content.decode()
    assert "chưa được gắn" in unpaired and 'name="pair"' not in unpaired
    assert tablet.post(url, {"pair": "1"}).status_code == 404  # nobody signed in
    # An officer of another commune cannot pair it.
    other = Client()
    other.force_login(receptionist_b)
    assert other.post(url, {"pair": "1"}).status_code == 404
    tablet.force_login(receptionist_a)
    assert tablet.post(url, {"pair": "1"}).status_code == 302
    tablet = _signed_out(tablet)  # the pairing stays in the signed cookie, not in a session
    assert "Xin kính chào" in tablet.get(url).content.decode()
    dossier = return_dossier()
    screen = tablet.get(url).content.decode()
    assert dossier.code in screen and screen.count('name="level"') == 4
    done = tablet.post(url, {"dossier": dossier.pk, "level": "4", "reasons": ["thai-do-lich-su"]})
    html = done.content.decode()
    assert done.status_code == 200 and "Cảm ơn" in html and f'content="5;url={url}"' in html
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.counter, rating.officer) == ("desk", counter_a, receptionist_a)
    assert "Xin kính chào" in tablet.get(url).content.decode()  # back to idle: nothing left to rate
    # A forged cookie (or one for another counter) does not pair.
    forged = Client()
    forged.cookies["motcua_desk"] = f"{counter_a.pk}:{receptionist_a.pk}"
    assert "chưa được gắn" in forged.get(url).content.decode()
    counter_2 = Counter.objects.create(office=counter_a.office, number=2, name="Quầy 2")
    assert "chưa được gắn" in tablet.get(f"/danh-gia/quay/{counter_2.pk}/").content.decode()


def test_desk_cannot_rate_another_dossier(return_dossier, counter_a, receptionist_a):
    tablet = Client()
    tablet.force_login(receptionist_a)
    tablet.post(f"/danh-gia/quay/{counter_a.pk}/", {"pair": "1"})
    tablet = _signed_out(tablet)
    other = return_dossier("b")
    tablet.post(f"/danh-gia/quay/{counter_a.pk}/", {"dossier": other.pk, "level": "1"})
    assert not Rating.objects.exists()


def _stats_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/danh-gia/thong-ke/").status_code == 200
    return len(queries)


def test_stats_page_is_scoped_and_query_count_is_fixed(client, return_dossier, manager_a, receptionist_a, leader_b):
    services.rating_submit(token=_token(return_dossier()), level=4, channel="sms")
    services.rating_submit(token=_token(return_dossier("b")), level=1, channel="sms")
    client.force_login(manager_a)
    page = client.get("/danh-gia/thong-ke/").content.decode()
    assert receptionist_a.first_name in page and "receptionist b" not in page
    assert "100,00%" in page  # Vietnamese decimal comma
    first = _stats_queries(client)
    for _ in range(3):
        services.rating_submit(token=_token(return_dossier()), level=2, channel="sms")
    assert _stats_queries(client) == first
    # A leader of commune B sees B only; a citizen or receptionist gets a 404.
    leader = Client()
    leader.force_login(leader_b)
    page_b = leader.get("/danh-gia/thong-ke/").content.decode()
    assert "receptionist b" in page_b and receptionist_a.first_name not in page_b


def test_stats_page_not_for_citizens(client, citizen, receptionist_a):
    client.force_login(citizen)
    assert client.get("/danh-gia/thong-ke/").status_code == 404
    client.force_login(receptionist_a)
    assert client.get("/danh-gia/thong-ke/").status_code == 404
    assert Client().get("/danh-gia/thong-ke/").status_code == 302


def test_leader_role_is_enough(leader_b):
    assert leader_b.roles.filter(role=Role.LEADER).exists()
