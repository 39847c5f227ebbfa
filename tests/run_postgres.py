"""Run the whole test suite on PostgreSQL, or say clearly why it is skipped.

Server: REEMPLOI_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
The tests create their own database on it and drop it. With REEMPLOI_REQUIRE_POSTGRES=1
(as in CI) an unreachable server is a failure, not a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys

URL = os.environ.get("REEMPLOI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    try:
        import psycopg

        with psycopg.connect(URL, connect_timeout=3):
            pass
    except Exception as exc:  # any failure to connect means: no server for us
        msg = f"PostgreSQL not reachable at {URL} ({exc.__class__.__name__}: {str(exc).strip()[:120]})"
        if os.environ.get("REEMPLOI_REQUIRE_POSTGRES") == "1":
            sys.stderr.write(msg + ": the PostgreSQL suite is required here.\n")
            return 1
        sys.stdout.write(msg + ": SKIPPING the PostgreSQL suite.\n")
        return 0
    sys.stdout.write(f"PostgreSQL suite on {URL}\n")
    sys.stdout.flush()
    env = dict(os.environ, REEMPLOI_TEST_DATABASE_URL=URL)
    return subprocess.call([sys.executable, "-m", "pytest", "-q", *sys.argv[1:]], env=env)


if __name__ == "__main__":
    sys.exit(main())
