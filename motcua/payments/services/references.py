"""Payment references: the short code a citizen puts in the transfer content.

"MC" + 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a reference read
aloud or typed from a receipt survives. Banks mangle transfer content (upper-case it, strip
accents and punctuation, split it across lines, prepend their own text), so finding a reference
in a statement line looks for the pattern anywhere in the folded, space-free text.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "MC"
LENGTH = 8
_PATTERN = re.compile(PREFIX + f"[{ALPHABET}]{{{LENGTH}}}")


def reference_new() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def references_in(text: str) -> list[str]:
    """Every reference-shaped token in `text`, in order, without repeats."""
    squeezed = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    seen: list[str] = []
    # Overlapping search: a reference may be glued to the bank's own prefix or suffix.
    for i in range(len(squeezed) - len(PREFIX) - LENGTH + 1):
        if squeezed.startswith(PREFIX, i):
            m = _PATTERN.match(squeezed, i)
            if m and m.group(0) not in seen:
                seen.append(m.group(0))
    return seen
