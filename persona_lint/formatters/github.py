r"""``github``: GitHub Actions workflow commands.

The runner turns them into annotations on the pull request's changed lines::

    ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE (name)::MESSAGE

``::warning`` for warnings; ``endLine`` only when the diagnostic has a range, and
``endColumn`` only when that range ends on its first line, as GitHub requires
(``endColumn`` is exclusive, as everywhere in persona-lint). Values are escaped as the
runner unescapes them: ``%`` ``\r`` ``\n`` everywhere, and ``:`` ``,`` in properties.
"""

from __future__ import annotations

from typing import TextIO

from persona_lint.diagnostics import Diagnostic
from persona_lint.formatters import Report
from persona_lint.formatters.common import posix_path, rule_name
from persona_lint.formatters.escape import human_path, human_text


def escape_data(text: str) -> str:
    r"""Return a workflow command's message, escaped.

    ``%``, CR and LF as the runner unescapes them; every other control character (ESC...)
    as visible ``\xNN`` text, since the runner has no escape for them.
    """
    return human_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Return a workflow command's property value, escaped (``:`` and ``,`` too)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(diagnostic: Diagnostic) -> str:
    """The workflow command annotating one diagnostic."""
    name = rule_name(diagnostic.code)
    properties = [
        ("file", human_path(posix_path(diagnostic.path), starts_line=False)),
        ("line", str(diagnostic.line)),
        ("col", str(diagnostic.column)),
    ]
    if diagnostic.end is not None:
        end_line, end_column = diagnostic.end
        properties.append(("endLine", str(end_line)))
        if end_line == diagnostic.line:  # GitHub refuses endColumn on a multi-line annotation
            properties.append(("endColumn", str(end_column)))
    elif diagnostic.end_line is not None:
        properties.append(("endLine", str(diagnostic.end_line)))
    title = f"{diagnostic.code} ({name})" if name else diagnostic.code
    properties.append(("title", title))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{diagnostic.severity} {joined}::{escape_data(diagnostic.message)}"


def github(report: Report, out: TextIO) -> None:
    """Write one workflow command per diagnostic."""
    for diagnostic in report.diagnostics:
        out.write(command(diagnostic) + "\n")
