"""Failed logins: a few tries per account and client, then a wait; nothing else is slowed."""

from __future__ import annotations

import threading

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
        th.begin("Alice", "10.0.0.1")  # a wrong password: the attempt stays counted
        clock.now += 10
    with pytest.raises(LoginThrottled) as exc:
        th.begin("alice ", "10.0.0.1")  # the same account, however it is typed
    assert exc.value.retry_after == 900 - 50 and exc.value.params == {"minutes": 15}
    th.begin("alice", "10.0.0.2")  # another client is not held back
    th.begin("bob", "10.0.0.1")  # nor another account from this client
    clock.now += 851  # the first failure has left the window: one more try
    th.begin("alice", "10.0.0.1")
    with pytest.raises(LoginThrottled):
        th.begin("alice", "10.0.0.1")


def test_a_success_clears_the_account_and_is_no_failure():
    clock = Clock()
    th = LoginThrottle(per_account=3, per_client=5, window=60, clock=clock)
    for _ in range(2):
        th.begin("alice", "c")
    th.succeeded("alice", "c", th.begin("alice", "c"))
    for _ in range(2):
        th.begin("alice", "c")
    for _ in range(10):  # successes from the client never add up to a lock-out
        th.succeeded("carol", "c", th.begin("carol", "c"))
    th.begin("dave", "c")  # 2 before the success, 2 after, this one: the client's 5th failure
    with pytest.raises(LoginThrottled):
        th.begin("erin", "c")


def test_parallel_attempts_cannot_slip_through_together():
    th = LoginThrottle(per_account=5, per_client=30, window=900)
    start, allowed, refused = threading.Barrier(40), [], []

    def attempt() -> None:
        start.wait()
        try:
            th.begin("admin", "10.0.0.9")
            allowed.append(1)
        except LoginThrottled:
            refused.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(allowed), len(refused)) == (5, 35)


def test_a_client_spraying_names_is_held_back_and_memory_stays_bounded():
    th = LoginThrottle(per_account=5, per_client=30, window=900, keys_max=100, clock=Clock())
    for i in range(30):
        th.begin(f"user{i}", "10.9.9.9")
    with pytest.raises(LoginThrottled):
        th.begin("someone-else", "10.9.9.9")
    for i in range(1000):
        th.begin(f"user{i}" * 50, f"10.1.{i // 250}.{i % 250}")  # long names are cut in the keys
    assert len(th._failures) <= 100 and all(len(k[1]) <= 120 for k in th._failures if k[0] == "account")
