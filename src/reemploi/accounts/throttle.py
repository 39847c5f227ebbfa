"""Failed password logins slow an attacker down: a few tries per account and client, then a wait.

Counted per (account name, client address) and per client address, over a sliding
window, in the server process's memory. Each attempt is counted before its password is
checked (so parallel attempts cannot slip through together) and a throttled one is
refused without a check, so it reveals nothing. A successful login clears its account's
count for that client and is not counted as a failure. With several server processes
each keeps its own counts, so the limits are per process; argon2's cost per check
bounds what any process can try.
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
        return ("account", name.strip().casefold()[:120], client[:100]), ("client", client[:100])

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def begin(self, name: str, client: str) -> float:
        """Count a login attempt before its password is checked; ``LoginThrottled`` when it must wait.

        Counted first, in one step under the lock, so that concurrent attempts cannot all
        pass before any failure is recorded. A success hands the returned mark back to
        ``succeeded``, which takes the attempt off the counts; a failure leaves it there.
        """
        now = self.clock()
        keys = self._keys(name, client)
        with self._lock:
            recent = [self._recent(key, now) for key in keys]
            for times, limit in zip(recent, (self.per_account, self.per_client), strict=True):
                if len(times) >= limit:
                    raise LoginThrottled(times[len(times) - limit] + self.window - now)
            for key, times in zip(keys, recent, strict=True):
                times.append(now)
                self._failures[key] = times
                self._failures.move_to_end(key)
            while len(self._failures) > self.keys_max:  # bounded memory under a spray of names
                self._failures.popitem(last=False)
        return now

    def succeeded(self, name: str, client: str, mark: float) -> None:
        """A right password: the account starts afresh from this client, and the attempt is not a failure."""
        account, by_client = self._keys(name, client)
        with self._lock:
            self._failures.pop(account, None)
            times = self._failures.get(by_client)
            if times is not None:
                try:
                    times.remove(mark)
                except ValueError:
                    pass
                if not times:
                    del self._failures[by_client]
