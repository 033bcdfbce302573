import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.core.errors import DomainError
from motcua.fieldreports.models import FieldReport, ReportEvent, ReportFollower, ReportMedia, ReportStatus
from motcua.fieldreports.services.submit import point_in_geometry
from tests.fieldreports.conftest import OUTSIDE, POINT_A, POINT_B, jpeg_with_gps, mp4_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _files(settings):
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _s, fs in os.walk(root) for f in fs] if os.path.exists(root) else []


def test_submit_writes_report_event_follower_and_routes_to_commune_committee(make_report, agency_a, citizen):
    report = make_report()
    assert report.code.startswith("PA-") and len(report.code) == len("PA-260316-0001")
    assert report.status == ReportStatus.SUBMITTED
    assert report.agency == agency_a
    assert report.reviewed is True  # clean text goes public at once
    assert report.due_at > report.submitted_at
    assert ReportFollower.objects.filter(report=report, user=citizen).exists()
    assert ReportEvent.objects.filter(report=report, action="submit").count() == 1
    assert report.reporter_name == citizen.person.full_name


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"category": None}, "category_required"),
        ({"category": "khong-co"}, "category_invalid"),
        ({"description": "   "}, "description_required"),
        ({"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, "location_outside_area"),
        ({"lat": 21.03, "lon": 105.85}, "location_outside_area"),
        ({"lat": "abc"}, "location_invalid"),
        ({"lat": 95}, "location_invalid"),
        ({"unit": None}, "unit_required"),
        ({"reporter_phone": "12345"}, "phone_invalid"),
    ],
)
def test_submit_rejects_bad_input_and_saves_nothing(make_report, overrides, code, settings):
    with pytest.raises(DomainError) as err:
        make_report(**overrides)
    assert err.value.code == code
    assert FieldReport.objects.count() == 0
    assert _files(settings) == []


def test_group_category_is_not_a_leaf(make_report, categories):
    with pytest.raises(DomainError) as err:
        make_report(category=categories["moi-truong"])
    assert err.value.code == "category_invalid"


def test_fake_image_and_oversized_image_leave_nothing(make_report, settings):
    fake = SimpleUploadedFile("anh.jpg", b"day khong phai la anh, chi la chu", content_type="image/jpeg")
    with pytest.raises(DomainError) as err:
        make_report(media=[jpeg_with_gps(), fake])
    assert err.value.code == "media_type_invalid"
    settings.MOTCUA_REPORT_PHOTO_MAX_MB = 0
    with pytest.raises(DomainError) as err:
        make_report(media=[jpeg_with_gps()])
    assert err.value.code == "media_too_large"
    assert FieldReport.objects.count() == 0 and ReportMedia.objects.count() == 0
    assert _files(settings) == []


def test_too_many_photos(make_report):
    with pytest.raises(DomainError) as err:
        make_report(media=[jpeg_with_gps(name=f"{i}.jpg") for i in range(6)])
    assert err.value.code == "media_too_many"


def test_failure_after_files_written_deletes_them(make_report, settings, monkeypatch):
    from motcua.fieldreports.services import submit

    def boom(*args, **kwargs):
        raise RuntimeError("notify down")

    monkeypatch.setattr(submit, "mapcells_sync", boom)
    with pytest.raises(RuntimeError):
        make_report(media=[jpeg_with_gps()])
    assert FieldReport.objects.count() == 0
    assert _files(settings) == []


def test_public_copy_has_no_gps_but_original_keeps_it(make_report):
    report = make_report(media=[jpeg_with_gps(), SimpleUploadedFile("b.png", png_bytes())])
    photo, png = list(report.media.order_by("id"))
    with photo.original.open("rb") as fh:
        original = Image.open(io.BytesIO(fh.read()))
        assert 0x8825 in original.getexif()
    with photo.public_file.open("rb") as fh:
        public = Image.open(io.BytesIO(fh.read()))
        assert 0x8825 not in public.getexif() and len(public.getexif()) == 0
        assert public.format == "JPEG"
    assert png.content_type == "image/png" and png.public_file


def test_video_checked_by_ftyp_and_kept_private(make_report, settings):
    report = make_report(media=[SimpleUploadedFile("v.mp4", mp4_bytes())])
    video = report.media.get()
    assert video.kind == "video" and not video.public_file
    named_mp4 = SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18moovisom" + b"\x00" * 40)
    with pytest.raises(DomainError) as err:
        make_report(media=[named_mp4])
    assert err.value.code == "media_type_invalid"


def test_codes_are_sequential_and_unique(make_report):
    codes = [make_report().code for _ in range(3)]
    assert len(set(codes)) == 3
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]


def test_idempotency_key_returns_first_report(make_report):
    first = make_report(idempotency_key="abc")
    again = make_report(idempotency_key="abc", description="khác")
    assert again.pk == first.pk and FieldReport.objects.count() == 1


def test_unit_inferred_from_nearby_report(make_report, commune_a):
    make_report()
    report = make_report(unit=None, lat=POINT_A[0] + 0.001)
    assert report.unit == commune_a


def test_urgent_uses_wall_clock_hours(make_report, categories):
    report = make_report(category=categories["cay-nga-do"], urgent=True)
    assert report.urgent
    hours = (report.due_at - report.submitted_at).total_seconds() / 3600
    assert hours == pytest.approx(categories["cay-nga-do"].urgent_hours)
    not_allowed = make_report(urgent=True)  # rác thải has no urgent option
    assert not not_allowed.urgent


def test_anonymous_keeps_no_contact(make_report):
    report = make_report(anonymous=True, reporter_phone="0912345678", reporter_name="A")
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")


def test_point_in_polygon_with_hole():
    square = {"type": "Polygon", "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}
    assert point_in_geometry(1, 1, square)
    assert not point_in_geometry(5, 5, square)
    assert not point_in_geometry(11, 1, square)
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"]]}
    assert point_in_geometry(1, 1, multi)


def test_service_area_accepts_both_former_provinces(make_report, commune_b, agency_b):
    assert make_report(lat=POINT_B[0], lon=POINT_B[1], unit=commune_b).agency == agency_b


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_distinct_codes(categories, commune_a, agency_a, service_area, citizen):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from motcua.fieldreports.services.submit import report_submit

    def submit(i):
        try:
            return report_submit(category=categories["rac-thai"], description=f"Rác {i}", lat=POINT_A[0],
                                 lon=POINT_A[1], unit=commune_a).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(submit, range(8)))
    assert len(set(codes)) == 8
