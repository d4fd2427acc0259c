"""Which open documents hold which active slug.

What keeps the server's cross-file check (PL801, duplicate slugs) incremental.

Linting all open documents together on every open or edit costs their number each time:
2,000 open personas took 161 s to open. The index answers the two questions an edit asks
instead: which documents share a slug (to compute one document's PL801 findings from
them alone), and whose findings an edit may change (the holders of the slug a document
left and of the slug it took; nobody's when its slug stays).
"""

from __future__ import annotations

# A slug within one corpus: (workspace folder or None, slug).
SlugKey = tuple[str | None, str]


class SlugIndex:
    """slug key -> the open documents (URIs) holding it, in the order they took it."""

    def __init__(self) -> None:
        """Start with no slug held."""
        self._holders: dict[SlugKey, dict[str, None]] = {}

    def __len__(self) -> int:
        """Return how many slugs are held."""
        return len(self._holders)

    def holders(self, key: SlugKey | None) -> list[str]:
        """The documents holding ``key`` (none for None)."""
        return list(self._holders.get(key, ())) if key is not None else []

    def move(self, uri: str, old: SlugKey | None, new: SlugKey | None) -> set[str]:
        """Record that ``uri`` holds ``new`` instead of ``old``.

        None is no slug (or a closed document). Returns the other documents whose PL801
        findings this may change.
        """
        if old == new:
            return set()
        touched: set[str] = set()
        if old is not None and old in self._holders:
            self._holders[old].pop(uri, None)
            touched.update(self._holders[old])
            if not self._holders[old]:
                del self._holders[old]
        if new is not None:
            touched.update(self._holders.setdefault(new, {}))
            self._holders[new][uri] = None
        touched.discard(uri)
        return touched
