"""A HiGHS solver object set up the project's way: silent, single-threaded, seeded.

Shared by the allocation and the site design (both below this module's callers).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def stdout_silenced() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null for a C library that prints (our JSON is on stdout)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def highs_model() -> Any:
    import highspy

    with stdout_silenced():  # HiGHS prints its banner when the object is built
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    return h
