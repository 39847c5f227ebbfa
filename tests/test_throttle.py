"""Failed logins: a few tries per account and client, then a wait; nothing else is slowed."""

from __future__ import annotations

import pytest

from reemploi.accounts.throttle import LoginThrottle, LoginThrottled


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_account_waits_after_five_failures_from_one_client():
    clock = Clock()
    th = LoginThrottle(per_account=5, per_client=30, window=900, clock=clock)
    for _ in range(5):
        th.check("Alice", "10.0.0.1")
        th.failed("Alice", "10.0.0.1")
        clock.now += 10
    with pytest.raises(LoginThrottled) as exc:
        th.check("alice ", "10.0.0.1")  # the same account, however it is typed
    assert exc.value.retry_after == 900 - 50 and exc.value.params == {"minutes": 15}
    th.check("alice", "10.0.0.2")  # another client is not held back
    th.check("bob", "10.0.0.1")  # nor another account from this client
    clock.now += 851  # the first failure has left the window: one more try
    th.check("alice", "10.0.0.1")
    th.failed("alice", "10.0.0.1")
    with pytest.raises(LoginThrottled):
        th.check("alice", "10.0.0.1")


def test_a_success_clears_the_account_but_not_the_client():
    clock = Clock()
    th = LoginThrottle(per_account=3, per_client=5, window=60, clock=clock)
    for _ in range(2):
        th.failed("alice", "c")
    th.succeeded("alice", "c")
    for _ in range(2):
        th.failed("alice", "c")
    th.check("alice", "c")  # 2 since the success: still allowed
    th.failed("bob", "c")
    with pytest.raises(LoginThrottled):  # but the client has failed 5 times in the window
        th.check("carol", "c")


def test_a_client_spraying_names_is_held_back_and_memory_stays_bounded():
    th = LoginThrottle(per_account=5, per_client=30, window=900, keys_max=100, clock=Clock())
    for i in range(30):
        th.failed(f"user{i}", "10.9.9.9")
    with pytest.raises(LoginThrottled):
        th.check("someone-else", "10.9.9.9")
    for i in range(1000):
        th.failed(f"user{i}", f"10.1.{i // 250}.{i % 250}")
    assert len(th._failures) <= 100
