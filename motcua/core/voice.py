"""Vietnamese speech, offline: the board's call-outs and the switchboard's prompts.

`speech_file(text)` synthesises `text` with Debian's espeak-ng Vietnamese voice (`espeak-ng -v vi`,
installed by `make install`'s `system-espeak` target) into a WAV file, cached under
`VAR_DIR/voice/` by a hash of what is said, so each sentence is synthesised once per machine.
`speech_url(text)` is where a browser or the switchboard provider fetches it: the core view
`core:speech` synthesises on first request, so any web process can answer (no shared disk needed).
The URL carries the text and an HMAC of it, so nobody can make the server say arbitrary words.

Numbers are read by us, not by espeak-ng, so a ticket code sounds the same on every machine:
"A015" is read "A mười lăm" (letter name, then the number as Vietnamese reads a count, leading
zeros dropped), not digit by digit ("A không một năm"): shorter, and what people hear at a bank
or hospital counter. Words follow the South (Cà Mau): "lẻ" for a missing tens digit
(105 "một trăm lẻ năm") and "ngàn" for thousands.

`chime_file()` is our own two-note chime, written once with the stdlib `wave` module.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

VOICE = "vi"  # espeak-ng's Vietnamese (northern accent is the only well-tuned one in Debian 12)
WORDS_PER_MINUTE = 140  # slower than espeak-ng's 175: a hall with a TV speaker, elderly listeners
MAX_TEXT = 400  # characters; a prompt longer than this is a mistake, and bounds the work per request
ESPEAK_TIMEOUT = 15  # seconds
_HMAC_SALT = "motcua.core.voice"
_CHIME_NAME = "chime-v1.wav"

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
# Vietnamese names of Latin letters as officers say them when reading a code aloud.
_LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "lờ", "M": "mờ", "N": "nờ", "O": "o", "P": "pê", "Q": "quy",
    "R": "rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép", "X": "ích", "Y": "i dài", "Z": "dét",
}  # fmt: skip
_CODE = re.compile(r"\b([A-ZĐ]{1,2})(\d+)\b")
_NUMBER = re.compile(r"\d+")


class VoiceUnavailable(RuntimeError):
    """espeak-ng is missing or failed: callers fall back to text (the board still shows the number)."""


def _below_thousand(n: int, *, full: bool) -> list[str]:
    """0..999 in words. `full` reads a zero hundreds digit ("không trăm"), as inside a larger number."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("lẻ")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_words(n: int) -> str:
    """A whole number as Vietnamese reads it: 15 "mười lăm", 21 "hai mươi mốt", 105 "một trăm lẻ năm",
    1015 "một ngàn không trăm mười lăm". Up to 999 999 999 (ticket numbers stay far below)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or n >= 10**9:
        raise ValueError("number must be a whole number from 0 to 999 999 999")
    if n == 0:
        return "không"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words: list[str] = []
    if millions:
        words += [*_below_thousand(millions, full=False), "triệu"]
    if thousands:
        words += [*_below_thousand(thousands, full=bool(words)), "ngàn"]
    elif words and units:
        words += ["không", "ngàn"]
    if units:
        words += _below_thousand(units, full=bool(words))
    return " ".join(words)


def code_words(code: str) -> str:
    """A ticket or booking code read aloud: "A015" -> "a mười lăm", "BC7" -> "bê xê bảy".

    Letters by their Vietnamese names, then the number with leading zeros dropped; anything else
    (a dash, a lower-case letter) is left as written."""
    match = _CODE.fullmatch(code.strip().upper())
    if not match:
        return code
    letters, digits = match.groups()
    return " ".join([*(_LETTERS[ch] for ch in letters), number_words(int(digits))])


def spoken(text: str) -> str:
    """What espeak-ng is given for `text`: codes like "A015" and bare numbers turned into words."""
    text = _CODE.sub(lambda m: code_words(m.group(0)), text)
    return _NUMBER.sub(lambda m: number_words(int(m.group(0))) if len(m.group(0)) <= 9 else m.group(0), text)


def call_text(code: str, counter_number: int) -> str:
    """The board's call-out sentence, as shown: "Mời số A015 đến quầy số 3"."""
    return f"Mời số {code} đến quầy số {counter_number}"


def cache_dir() -> Path:
    return Path(getattr(settings, "VOICE_CACHE_DIR", "") or Path(settings.VAR_DIR) / "voice")


def _key(said: str) -> str:
    return hashlib.sha256(f"{VOICE}|{WORDS_PER_MINUTE}|{said}".encode()).hexdigest()[:40]


def _check(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("nothing to say")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text longer than {MAX_TEXT} characters")
    return " ".join(text.split())


def _write_atomically(target: Path, fill) -> None:
    """Write through a temporary file in the same folder, then rename: two processes asked for the
    same sentence at once both succeed, and nobody ever reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".wav")
    os.close(fd)
    try:
        fill(Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def speech_file(text: str) -> Path:
    """A WAV file of `text` spoken in Vietnamese, synthesised once and then served from the cache.

    Raises ValueError for empty or over-long text, VoiceUnavailable when espeak-ng cannot run."""
    said = spoken(_check(text))
    target = cache_dir() / f"{_key(said)}.wav"
    if target.exists():
        return target
    espeak = shutil.which("espeak-ng")
    if not espeak:
        raise VoiceUnavailable("espeak-ng is not installed (make install runs system-espeak)")

    def synthesise(path: Path) -> None:
        argv = [espeak, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-b", "1", "-w", str(path), "--stdin"]
        try:
            subprocess.run(argv, input=said.encode(), check=True, capture_output=True, timeout=ESPEAK_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as error:
            raise VoiceUnavailable(f"espeak-ng failed: {error}") from error
        if path.stat().st_size <= 44:  # a bare WAV header: nothing was spoken
            raise VoiceUnavailable("espeak-ng produced no audio")

    _write_atomically(target, synthesise)
    return target


def _signature(text: str) -> str:
    return salted_hmac(_HMAC_SALT, text, algorithm="sha256").hexdigest()[:32]


def speech_url(text: str, *, absolute: bool = False) -> str:
    """Where `text`'s audio is served (synthesised on first request). `absolute` prefixes
    PUBLIC_BASE_URL, for callers outside the browser such as the switchboard provider."""
    text = _check(text)
    url = reverse("core:speech", kwargs={"signature": _signature(text)}) + "?" + urlencode({"t": text})
    return settings.PUBLIC_BASE_URL + url if absolute else url


def text_for_signature(signature: str, text: str) -> str | None:
    """The text a `speech_url` carries, or None when the signature does not match it."""
    try:
        text = _check(text)
    except ValueError:
        return None
    return text if constant_time_compare(signature, _signature(text)) else None


def _chime_frames(rate: int) -> bytes:
    """Two soft bell-like notes (E5 then C5), each with a quick attack and an exponential decay."""
    frames = bytearray()
    for frequency, seconds in ((659.25, 0.45), (523.25, 0.75)):
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            envelope = min(1.0, t / 0.01) * math.exp(-4.0 * t)
            value = envelope * (
                0.8 * math.sin(2 * math.pi * frequency * t) + 0.2 * math.sin(4 * math.pi * frequency * t)
            )
            frames += struct.pack("<h", int(value * 0.6 * 32767))
    return bytes(frames)


def chime_file() -> Path:
    """The board's chime, played before each call-out; written once into the voice cache."""
    target = cache_dir() / _CHIME_NAME
    if target.exists():
        return target

    def write(path: Path) -> None:
        rate = 22050
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(_chime_frames(rate))

    _write_atomically(target, write)
    return target


def chime_url() -> str:
    return reverse("core:chime")
