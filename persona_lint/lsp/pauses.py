"""Work that waits for a pause in events.

A lint waits for the user to stop typing, the cross-file findings for a burst of opens to
end. The pause is ``PERSONA_LINT_LSP_DEBOUNCE_MS`` milliseconds (default 200); 0 makes a change
lint at once, as the benchmark does. Each action waits under a key: asking again under the
same key starts the wait over, so a burst of events costs one run.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

__all__ = ["DEBOUNCE_ENV", "DEFAULT_DEBOUNCE_MS", "Pauses", "debounce_from_env"]

DEBOUNCE_ENV = "PERSONA_LINT_LSP_DEBOUNCE_MS"
DEFAULT_DEBOUNCE_MS = 200

# Runs an action that a timer fired, reporting its exception (which the event loop would
# lose) under the given name.
Guard = Callable[[Callable[[], None], str], None]


def debounce_from_env() -> float:
    """The pause in seconds from ``PERSONA_LINT_LSP_DEBOUNCE_MS``.

    The default when it is unset or not a number; never negative.
    """
    try:
        milliseconds = float(os.environ.get(DEBOUNCE_ENV, DEFAULT_DEBOUNCE_MS))
    except ValueError:
        milliseconds = DEFAULT_DEBOUNCE_MS
    return max(milliseconds, 0.0) / 1000


class Pauses:
    """Actions waiting, each under its key, for ``seconds`` without a new request."""

    def __init__(self, seconds: float, guard: Guard) -> None:
        """Wait ``seconds``; run each action through ``guard``."""
        self.seconds = seconds
        self._guard = guard
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def after_pause(self, key: str, action: Callable[[], None]) -> None:
        """Run ``action`` once ``key`` has had no new request for the pause."""
        self.cancel(key)
        loop = asyncio.get_running_loop()
        self._timers[key] = loop.call_later(self.seconds, self._fire, key, action)

    def waiting(self, key: str) -> bool:
        """Whether an action waits under ``key``."""
        return key in self._timers

    def cancel(self, key: str) -> None:
        """Drop the action waiting under ``key``, if any."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()

    def cancel_all(self) -> None:
        """Drop every waiting action."""
        for key in list(self._timers):
            self.cancel(key)

    def __len__(self) -> int:
        """How many actions wait."""
        return len(self._timers)

    def _fire(self, key: str, action: Callable[[], None]) -> None:
        self._timers.pop(key, None)
        self._guard(action, key)
