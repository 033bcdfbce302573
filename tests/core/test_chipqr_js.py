"""chipqr.js applies the server's future-date rules (run with node, which the browser tests' machine has)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "motcua" / "core" / "static" / "motcua" / "chipqr.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")
TODAY = "2026-12-07"


def _parse_all(texts: list[str]) -> list:
    program = (
        f"const {{parse}} = require({json.dumps(str(SCRIPT))});"
        f"const texts = {json.dumps(texts)};"
        f"console.log(JSON.stringify(texts.map(t => parse(t, {json.dumps(TODAY)}))));"
    )
    out = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


def test_future_dates_are_refused_like_the_server():
    base = "096085000123|381234567|Nguyễn Văn An|15061985|Nam|Cà Mau|{issued}"
    newborn = "096226000001||Bé Na|{dob}|Nữ|Cà Mau|{issued}"
    results = _parse_all(
        [
            base.format(issued="07122026"),  # issued today
            base.format(issued="08122026"),  # tomorrow
            newborn.format(dob="07122026", issued=""),  # born today
            newborn.format(dob="08122026", issued=""),  # tomorrow
            "096227000001||Bé Na||Nữ|Cà Mau|",  # the ID says born 2027
            base.format(issued="14061985"),  # issued before birth
        ]
    )
    assert results[0]["id_issued_on"] == "2026-12-07"
    assert results[1] is None
    assert results[2]["date_of_birth"] == "2026-12-07"
    assert results[3] is None
    assert results[4] is None
    assert results[5] is None
