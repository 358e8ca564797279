"""Text from outside made inert for every face: control characters shown, not obeyed.

A list name, a report or a partner's bundle may carry terminal escapes, C1 controls or
bidirectional overrides ("Trojan source"). Every face shows them as visible escapes (``\\x1b``,
``\\u202e``) so that a reader sees the text is odd instead of having it act on them.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), and
# the bidirectional overrides and isolates that reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_controls(text: str) -> str:
    """``text`` with every control character shown as an inert escape; tab and newline stay."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)
