"""Stopping and starting the machine's real PostgreSQL and Redis, for the tests that prove the
portal survives their faults. Each restores the service before it returns, whatever happens."""

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator

REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
    "--save", "", "--appendonly", "no",
]  # fmt: skip


def redis_is_up() -> bool:
    ping = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, text=True
    )
    return ping.stdout.strip() == "PONG"


def wait_until(condition, seconds: float = 30) -> bool:
    """Whether ``condition()`` came true within ``seconds`` (polled every 0.2 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _wait(condition, seconds: float = 30) -> None:
    if not wait_until(condition, seconds):
        raise TimeoutError("the service did not come back")


def redis_start() -> None:
    if not redis_is_up():
        subprocess.run(REDIS_START, check=True, capture_output=True)
    _wait(redis_is_up)


@contextlib.contextmanager
def redis_stopped() -> Iterator[None]:
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], capture_output=True
    )
    _wait(lambda: not redis_is_up())
    try:
        yield
    finally:
        redis_start()


def postgresql_restart() -> None:
    """Restart the local cluster (all connections end), as a failover or an upgrade would."""
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            version,
            "main",
            "restart",
            "--",
            "-m",
            "fast",
        ],
        check=True,
        capture_output=True,
    )
    _wait(
        lambda: (
            subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], capture_output=True
            ).returncode
            == 0
        )
    )
