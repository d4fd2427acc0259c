"""The README's table of configuration keys, generated from :data:`~persona_lint.config.keys.KEYS`.

``python -m persona_lint.config.readme README.md`` (``make docs``) rewrites the table in
place; a test fails when the README's table differs from :func:`keys_table`, so the
documentation of a key is written once, beside its reader.
"""

from __future__ import annotations

import sys
from pathlib import Path

from persona_lint.config.keys import KEYS

HEADER = "| key | default | meaning |\n|-----|---------|---------|\n"


def keys_table() -> str:
    """The Markdown table of every key: name, default, meaning (ending with a newline)."""
    rows = (f"| `{key.name}` | {key.default} | {key.help} |\n" for key in KEYS)
    return HEADER + "".join(rows)


def with_keys_table(readme: str) -> str:
    """``readme`` with its table of keys (from :data:`HEADER` to the blank line) replaced."""
    start = readme.index(HEADER)
    end = readme.index("\n\n", start) + 1
    return readme[:start] + keys_table() + readme[end:]


def main(argv: list[str]) -> int:
    """Rewrite the table of keys in each README named in ``argv``."""
    for name in argv:
        path = Path(name)
        path.write_text(with_keys_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
