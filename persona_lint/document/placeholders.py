"""Unfilled template placeholders: `{persona_name}`, `{senior|expert}`, `TODO`.

Several rule families ask whether text still holds one (PL901 reports it; the metric rules
leave a placeholder metric to PL901), so the pattern lives here, beside the document model,
and not inside one family.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "may_hold_placeholder"]

# {persona_name}; {senior|expert}; TODO, TBD, FIXME as words of their own.
PLACEHOLDER = re.compile(
    r"\{[A-Za-z_][A-Za-z0-9_ -]*\}"
    r"|\{[^{}|\n]{1,40}(?:\|[^{}|\n]{1,40})+\}"
    r"|\b(?:TODO|TBD|FIXME)\b"
)


# The screen makes PL901 ~5 instead of ~750 µs per file of the 1,000-file benchmark (~40% of
# its whole-process CPU): most files hold no placeholder.
def may_hold_placeholder(text: str) -> bool:
    """A cheap screen: False only when PLACEHOLDER cannot match anywhere in `text`.

    Every match holds a `{` or one of the words `TODO`, `TBD`, `FIXME`. Searching
    for a word scans the whole text (multi-character searches are slow, four of them cost
    more than the rest of the rule family); a single character is found at memchr speed.
    So: `{` and `X` are rare (`FIXME` is searched only where there is an `X`), and
    `TODO` and `TBD` are tried only where a capital `T` has a `D` two places on.
    """
    if "{" in text or ("X" in text and "FIXME" in text):
        return True
    find = text.find
    last = len(text) - 3  # the last place where a three-letter word can start
    at = find("T")
    while 0 <= at <= last:
        if text[at + 2] == "D" and text.startswith(("TODO", "TBD"), at):
            return True
        at = find("T", at + 1)
    return False
