"""Offline Vietnamese speech: how numbers and codes are read, the WAV cache, the serving view."""

import io
import wave

import pytest
from django.urls import reverse

from motcua.core import voice


@pytest.fixture(autouse=True)
def _voice_cache(settings, tmp_path):
    settings.VOICE_CACHE_DIR = tmp_path / "voice"
    return settings.VOICE_CACHE_DIR


def _duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as clip:
        assert clip.getnchannels() == 1
        assert clip.getsampwidth() == 2
        assert clip.getnframes() > 0
        return clip.getnframes() / clip.getframerate()


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm lẻ một"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một ngàn"),
        (1005, "một ngàn không trăm lẻ năm"),
        (1015, "một ngàn không trăm mười lăm"),
        (2_000_001, "hai triệu không ngàn không trăm lẻ một"),
        (999_999_999, "chín trăm chín mươi chín triệu chín trăm chín mươi chín ngàn chín trăm chín mươi chín"),
    ],
)
def test_numbers_are_read_the_vietnamese_way(n, words):
    assert voice.number_words(n) == words


@pytest.mark.parametrize("bad", [-1, 10**9, 1.5, True, "3"])
def test_number_words_refuses_what_is_not_a_count(bad):
    with pytest.raises(ValueError):
        voice.number_words(bad)


def test_ticket_codes_read_letter_name_then_the_number():
    assert voice.code_words("A015") == "a mười lăm"
    assert voice.code_words("A001") == "a một"
    assert voice.code_words("B100") == "bê một trăm"
    assert voice.code_words("D021") == "dê hai mươi mốt"
    assert voice.code_words("not-a-code") == "not-a-code"


def test_the_call_out_sentence_and_what_espeak_is_given():
    text = voice.call_text("A015", 3)
    assert text == "Mời số A015 đến quầy số 3"
    assert voice.spoken(text) == "Mời số a mười lăm đến quầy số ba"


def test_speech_is_a_wav_of_sensible_length_and_is_cached(_voice_cache):
    path = voice.speech_file("Mời số A015 đến quầy số 3")
    assert path.parent == _voice_cache
    seconds = _duration(path.read_bytes())
    assert 1.0 < seconds < 8.0
    # Same words (even spaced differently) -> the same file, not synthesised again.
    mtime = path.stat().st_mtime_ns
    again = voice.speech_file("Mời  số A015 đến quầy số 3 ")
    assert again == path and again.stat().st_mtime_ns == mtime
    # Different words -> a different file.
    assert voice.speech_file("Mời số A016 đến quầy số 3") != path
    assert len(list(_voice_cache.glob("*.wav"))) == 2


def test_missing_espeak_is_reported_not_crashed(monkeypatch, _voice_cache):
    monkeypatch.setattr(voice.shutil, "which", lambda name: None)
    with pytest.raises(voice.VoiceUnavailable):
        voice.speech_file("Mời số A001 đến quầy số 1")
    assert not _voice_cache.exists() or not list(_voice_cache.iterdir())  # no half-written file left behind


@pytest.mark.parametrize("bad", ["", "   ", "x" * (voice.MAX_TEXT + 1)])
def test_empty_or_over_long_text_is_refused(bad):
    with pytest.raises(ValueError):
        voice.speech_file(bad)


def test_longest_allowed_text_is_accepted():
    assert voice.speech_url("a" * voice.MAX_TEXT)


def test_chime_is_our_own_short_wav():
    path = voice.chime_file()
    assert 0.5 < _duration(path.read_bytes()) < 2.0
    assert voice.chime_file() == path


def test_the_view_serves_signed_text_only(client):
    url = voice.speech_url("Mời số A015 đến quầy số 3")
    assert url.startswith("/am-thanh/") and ".wav?t=" in url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert _duration(b"".join(response.streaming_content)) > 1.0
    # Another text under the same signature: refused, nothing synthesised for it.
    tampered = url.split("?")[0] + "?t=" + "Xin chào"
    assert client.get(tampered).status_code == 404
    assert client.get(url.split("?")[0]).status_code == 404
    assert client.post(url).status_code == 405


def test_the_view_says_unavailable_when_espeak_is_missing(client, monkeypatch):
    monkeypatch.setattr(voice.shutil, "which", lambda name: None)
    assert client.get(voice.speech_url("Mời số A002 đến quầy số 2")).status_code == 503


def test_absolute_url_for_callers_outside_the_browser(settings):
    settings.PUBLIC_BASE_URL = "https://motcua.example.vn"
    assert voice.speech_url("Xin chào", absolute=True).startswith("https://motcua.example.vn/am-thanh/")


def test_the_chime_view(client):
    response = client.get(reverse("core:chime"))
    assert response.status_code == 200
    assert _duration(b"".join(response.streaming_content)) > 0.5
