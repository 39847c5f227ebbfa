"""Failed password logins slow an attacker down: a few tries per account and client, then a wait.

Counted per (account name, client address) and per client address, over a sliding
window, in the server process's memory. A throttled attempt is refused before its
password is checked, so it reveals nothing. A successful login clears its account's
count for that client. With several server processes each keeps its own counts, so
the limits are per process; argon2's cost per check bounds what any process can try.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from reemploi.errors import ReemploiError


class LoginThrottled(ReemploiError):
    code = "login_throttled"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(minutes=max(1, math.ceil(self.retry_after / 60)))


class LoginThrottle:
    def __init__(
        self,
        per_account: int = 5,
        per_client: int = 30,
        window: float = 15 * 60,
        keys_max: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_account, self.per_client, self.window = per_account, per_client, window
        self.keys_max, self.clock = keys_max, clock
        self._failures: OrderedDict[tuple[str, ...], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, client: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ("account", name.strip().casefold(), client), ("client", client)

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, name: str, client: str) -> None:
        """Raise ``LoginThrottled`` when this account (from this client) or this client must wait."""
        now = self.clock()
        with self._lock:
            for key, limit in zip(self._keys(name, client), (self.per_account, self.per_client), strict=True):
                times = self._recent(key, now)
                if len(times) >= limit:
                    raise LoginThrottled(times[len(times) - limit] + self.window - now)

    def failed(self, name: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(name, client):
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times
                self._failures.move_to_end(key)
            while len(self._failures) > self.keys_max:  # bounded memory under a spray of names
                self._failures.popitem(last=False)

    def succeeded(self, name: str, client: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(name, client)[0], None)
