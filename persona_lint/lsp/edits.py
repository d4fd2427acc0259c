"""The edits behind the language server's code actions.

Pure functions of a parsed document or of two texts: where a suppression comment goes so that the
document stays valid (:func:`suppression_fix`), removing an unused one (:func:`removal_fix`), and
the one change that turns a text into its fixed version (:func:`text_change`), for the rules' own
fixes that :mod:`persona_lint.fix.engine` computes.

Places are 0-based (line, column) pairs counting code points in the text as the linter
reads it (LF line endings, no byte order mark); the server converts them to the client's
position encoding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from persona_lint.config.selectors import resolve_selector
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import CodeBlock, Document
from persona_lint.positions import place


@dataclass(frozen=True)
class Change:
    """Replace code points ``start`` to ``end`` with ``text``.

    ``start`` and ``end`` are 0-based (line, column) places; equal, the change is an
    insertion.
    """

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass(frozen=True)
class Fix:
    """A code action's edit: its title, its changes, and whether editors apply it first."""

    title: str
    changes: tuple[Change, ...]
    preferred: bool = False


def _comment(kind: str, code: str) -> str:
    return f"<!-- persona-lint: {kind} {code} -->"


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _add_to_directive(lines: Sequence[str], index: int, kind: str, code: str) -> Change | None:
    """Name ``code`` in an existing directive of this kind on line ``index``, if any."""
    if not 0 <= index < len(lines):
        return None
    match = re.search(rf"<!--\s*persona-lint:\s*{kind}\b(.*?)-->", lines[index])
    if match is None or not match.group(1).strip():
        return None
    return Change(
        (index, match.start(1)), (index, match.end(1)), f" {match.group(1).strip()} {code} "
    )


def _append(lines: Sequence[str], index: int, code: str) -> Change:
    merged = _add_to_directive(lines, index, "disable-line", code)
    if merged is not None:
        return merged
    text = lines[index]
    space = " " if text.strip() else ""
    return Change((index, len(text)), (index, len(text)), space + _comment("disable-line", code))


def _above(lines: Sequence[str], index: int, code: str) -> Change:
    previous = lines[index - 1] if index > 0 else ""
    if previous.strip().startswith("<!--"):
        merged = _add_to_directive(lines, index - 1, "disable-next-line", code)
        if merged is not None:
            return merged
    text = _indent(lines[index]) + _comment("disable-next-line", code) + "\n"
    return Change((index, 0), (index, 0), text)


def open_markup(lines: Sequence[str]) -> list[int | None]:
    """Return, for each line of an XML block, where the markup it ends inside began.

    None when the line ends outside markup, else the index of the line where the unfinished tag,
    comment, CDATA section or instruction began. A light scan in the persona dialect (a ``<`` that
    cannot start markup is text), only to tell where a comment may go; the real parser reports
    errors.
    """
    ends = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>", "<!": ">"}
    result: list[int | None] = []
    closing: str | None = None  # what ends the open construct; "" is a tag
    began = 0
    quote = ""
    for number, line in enumerate(lines):
        i = 0
        while i < len(line):
            if closing is None:
                j = line.find("<", i)
                if j < 0:
                    break
                opener = next((o for o in ends if line.startswith(o, j)), None)
                name = line[j + 2 : j + 3] if line.startswith("</", j) else line[j + 1 : j + 2]
                if opener is not None:
                    closing, began, i = ends[opener], number, j + len(opener)
                elif name and (name.isalpha() or name in "_:"):
                    closing, began, quote, i = "", number, "", j + 1
                else:
                    i = j + 1
            elif closing == "":
                char = line[i]
                if quote:
                    quote = "" if char == quote else quote
                elif char in "\"'":
                    quote = char
                elif char == ">":
                    closing = None
                i += 1
            else:
                j = line.find(closing, i)
                if j < 0:
                    break
                i, closing = j + len(closing), None
        result.append(None if closing is None else began)
    return result


def _last_line(block: CodeBlock) -> int:
    """1-based line of the block's closing fence (or last content line when unclosed)."""
    return block.content_line + len(block.line_offsets) - (0 if block.closed else 1)


def suppression_fix(document: Document, line: int, code: str) -> Fix:
    """The edit that suppresses ``code`` at 1-based ``line`` and keeps the document valid.

    - In a table, a comment would become a cell or end the table: ``disable-file`` on a
      line of its own after the table (the version table is the only table rules read).
    - On a heading or a fence line, a comment would change the title or the fence:
      ``disable-next-line`` on a line of its own above.
    - In an ``xml`` block, an XML comment at the end of the line, unless the line ends
      inside a tag (then above it, or, in the middle of a tag spanning lines, a
      ``disable``/``enable`` pair around the tag).
    - Anywhere else, ``disable-line`` at the end of the line.
    """
    lines = document.lines
    index = min(max(line - 1, 0), len(lines) - 1)
    number = index + 1
    on_line = f"Suppress {code} on this line"
    for table in document.tables:
        end = max([table.line + 1, *(row[0].line for row in table.rows if row)])
        if table.line <= number <= end:
            merged = _add_to_directive(lines, end, "disable-file", code)
            text = "\n" + _comment("disable-file", code)
            change = merged or Change(
                (end - 1, len(lines[end - 1])), (end - 1, len(lines[end - 1])), text
            )
            return Fix(f"Suppress {code} in this file", (change,))
    if any(heading.line == number for heading in document.headings):
        return Fix(on_line, (_above(lines, index, code),))
    for block in document.code_blocks:
        if not block.fenced or not block.fence_line <= number <= _last_line(block):
            continue
        if number == block.fence_line or (block.closed and number == _last_line(block)):
            return Fix(on_line, (_above(lines, index, code),))
        if block.language != "xml":
            break
        first = block.content_line - 1
        open_at = open_markup(lines[first : first + len(block.line_offsets)])
        inner = index - first
        if open_at[inner] is None:
            break
        if inner == 0 or open_at[inner - 1] is None:
            return Fix(on_line, (_above(lines, index, code),))
        start = first + (open_at[inner] or 0)
        stop = next((j for j in range(inner, len(open_at)) if open_at[j] is None), None)
        end = first + (stop if stop is not None else len(open_at) - 1)
        disable = _indent(lines[start]) + _comment("disable", code) + "\n"
        enable = " " + _comment("enable", code)
        return Fix(
            f"Suppress {code} on lines {start + 1}-{end + 1}",
            (
                Change((start, 0), (start, 0), disable),
                Change((end, len(lines[end])), (end, len(lines[end])), enable),
            ),
        )
    return Fix(on_line, (_append(lines, index, code),))


def removal_fix(document: Document, diagnostic: Diagnostic) -> Fix | None:
    """Return the fix that removes an unused suppression (PL005), if it is safe.

    Safe, as it suppresses nothing, unless it may cover cross-file rules, which see only
    the documents open in the editor.
    """
    index = diagnostic.line - 1
    if diagnostic.end_column is None or not 0 <= index < len(document.lines):
        return None
    text = document.lines[index]
    start, end = diagnostic.column - 1, diagnostic.end_column - 1
    kinds = "disable-line|disable-next-line|disable-file"
    match = re.match(rf"<!--\s*persona-lint:\s*(?:{kinds})\b(.*?)-->", text[start:end])
    if match is None:
        return None
    try:
        codes = {
            c for w in re.split(r"[,\s]+", match.group(1).strip()) if w for c in resolve_selector(w)
        }
    except ValueError:
        return None
    if not codes or any(c.startswith("PL8") for c in codes):
        return None
    title = "Remove unused suppression"
    if not (text[:start] + text[end:]).strip():
        if index + 1 < len(document.lines):
            return Fix(title, (Change((index, 0), (index + 1, 0), ""),), preferred=True)
        if index > 0:
            previous = len(document.lines[index - 1])
            return Fix(title, (Change((index - 1, previous), (index, len(text)), ""),), True)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Fix(title, (Change((index, start), (index, end), ""),), preferred=True)


def text_change(before: str, after: str) -> Change | None:
    """Return the one change that turns ``before`` into ``after`` (None if they are equal).

    Both have LF line endings; the change is the span between their common beginning and their
    common end. Editors keep the cursor and folds outside the span.
    """
    if before == after:
        return None
    limit = min(len(before), len(after))
    start = _longest(limit, lambda n: before[:n] == after[:n])
    end = _longest(limit - start, lambda n: before[len(before) - n :] == after[len(after) - n :])
    return Change(
        _zero_based(before, start),
        _zero_based(before, len(before) - end),
        after[start : len(after) - end],
    )


def _longest(limit: int, holds: Callable[[int], bool]) -> int:
    """Return the largest ``n <= limit`` for which ``holds(n)``.

    ``holds`` is true up to some ``n`` and false after it (a binary search: slices compare
    in C).
    """
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _zero_based(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of a character offset in ``text``, as changes count."""
    line, column = place(text, offset)
    return line - 1, column - 1
