"""The portal is in Vietnamese only: a browser that prefers English is not told the page is English."""

import pytest


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_the_vietnamese_page_marked_vietnamese(client, settings):
    settings.LANGUAGE_CODE = "vi"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Cổng dịch vụ công" in html


def test_only_vietnamese_is_offered(settings):
    assert [code for code, _name in settings.LANGUAGES] == ["vi"]
