"""PL0xx rules: the file itself (readable UTF-8 text, size, suppression comments).

The linter reports these itself, before or around the rules; the functions here carry their
documentation.
"""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule

E, W = Severity.ERROR, Severity.WARNING


# PL0xx are reported by the linter itself, before or around the rules; the functions below
# only carry their documentation.


@rule("PL001", "internal-error", E, "persona-lint failed on this file (a bug: please report it)")
def internal_error(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A rule raised an exception on this file.

    ## What it does
    Reports a bug in persona-lint itself: a rule raised an exception while checking this file.
    The diagnostic names the failing rule, the exception and its message (escaped, at most 200
    characters, because it may quote the file). A computation several rules share is reported
    once. PL001 is reported whatever the selection: a file with a bug is a file not checked.

    ## Why is this bad?
    A bug in one rule must not hide every other diagnostic, nor the other files of the run,
    and it must not pass silently either: the rule that failed did not check the persona, so
    the AI tool may be loading a persona nobody checked.

    ## Example
    ```text
    a.md:1:1: error: internal error in rule PL404 (active-slug-mismatch): KeyError: 'x' [PL001]
    ```

    ## Use instead
    Please report it with the file (or a reduced copy that still fails). There is nothing to
    change in the persona.
    """
    return iter(())


@rule("PL002", "encoding", E, "the file is not UTF-8 text")
def encoding(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file's bytes are not UTF-8 text.

    ## What it does
    Checks that the file is UTF-8 text. It reports invalid UTF-8, a NUL byte, UTF-16 or
    UTF-32 (with or without a byte order mark), a control character (C0 other than tab and
    line breaks, DEL, C1: they could drive the terminal through a quoted message), or a binary
    file (an image renamed `.md`). The diagnostic points at the first offending character;
    nothing of the file is echoed. A UTF-8 byte order mark is accepted and ignored.

    ## Why is this bad?
    Persona documents are read by tools and models as UTF-8 text: a file in another encoding
    is garbled or rejected when the AI tool loads it, and none of the other rules can check it.

    ## Example
    A persona saved as UTF-16, or one holding a `0xff` byte:
    ```text
    | version | last_updated | status |   (saved as UTF-16 LE with a byte order mark)
    ```

    ## Use instead
    The same text saved as UTF-8:
    ```text
    | version | last_updated | status |   (saved as UTF-8)
    ```
    """
    return iter(())


@rule("PL003", "file-too-large", E, "the file is larger than max-file-size")
def file_too_large(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file is larger than the `max-file-size` setting, so it is not parsed at all.

    ## What it does
    Checks the file's size against the `max-file-size` setting (1 MiB by default). A larger
    file is reported and not parsed.

    ## Why is this bad?
    A persona is a few kilobytes. A huge file is a mistake (a log or a data dump saved as
    `.md`) or an attack, parsing it would slow every run, and an AI tool that loads it as a
    persona would fill its context with it.

    ## Example
    ```text
    personas/backend-engineer.md   3.2 MiB (a pasted log after the Usage line)
    ```

    ## Use instead
    ```text
    personas/backend-engineer.md   9 KiB
    ```
    Or raise `max-file-size` in the configuration if the file really is a persona.
    """
    return iter(())


@rule("PL004", "unreadable-file", E, "the file could not be read")
def unreadable_file(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file could not be read.

    ## What it does
    Reports a file that could not be read: permission denied, it vanished during the run, it
    is a named pipe or a device (never opened), a symbolic link (to a file or a folder)
    pointing outside the linted tree (never followed), a link loop, or a folder that cannot
    be listed.

    ## Why is this bad?
    A file that is silently skipped is a file that is never checked, yet the AI tool may still
    load it as a persona.

    ## Example
    ```text
    personas/backend-engineer.md -> /home/me/drafts/backend.md   (a link out of the tree)
    ```

    ## Use instead
    ```text
    personas/backend-engineer.md   (a regular, readable file inside the tree)
    ```
    """
    return iter(())


@rule("PL005", "unused-suppression", W, "an inline suppression suppresses nothing")
def unused_suppression(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An inline suppression comment suppresses no diagnostic.

    ## What it does
    Checks every `<!-- persona-lint: disable... -->` comment (`disable-next-line`,
    `disable-line`, `disable-file`, `disable`) and reports those that suppress no diagnostic.

    ## Why is this bad?
    Stale suppressions pile up and hide future problems (like ruff's unused `noqa`): the day
    the line really breaks, the comment silences the report and the AI tool loads the broken
    persona.

    ## Example
    A suppression above a version row that is valid:
    ```markdown
    <!-- persona-lint: disable-next-line PL305 -->
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    return iter(())


@rule("PL006", "unknown-suppression-code", W, "an inline suppression names an unknown code")
def unknown_suppression_code(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A suppression comment names a code or rule name that does not exist.

    ## What it does
    Checks that every code in a `<!-- persona-lint: ... -->` comment is a known rule code,
    prefix or rule name.

    ## Why is this bad?
    A typo in a suppression suppresses nothing and misleads the reader, who believes the
    diagnostic is silenced on purpose.

    ## Example
    ```markdown
    <!-- persona-lint: disable-file PL999 -->
    ```

    ## Use instead
    ```markdown
    <!-- persona-lint: disable-file PL407 -->
    ```
    """
    return iter(())
