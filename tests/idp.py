"""The real OpenID Provider the sign-in tests run against: idp/server.mjs (npm's oidc-provider)
as a separate Node.js process, configured the way the demo configures it."""

import contextlib
import json
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

NODE = "node"
SERVER = Path(settings.BASE_DIR) / "idp" / "server.mjs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_identity_provider(config: dict[str, object]) -> Iterator[None]:
    """Start the provider with ``config`` and stop it afterwards; waits until every issuer
    listens."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(config, file)
    process = subprocess.Popen(
        [NODE, str(SERVER), file.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=settings.BASE_DIR,
    )
    try:
        output = []
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.strip() == "ready":
                break
        else:
            raise RuntimeError("The identity provider did not start:\n" + "".join(output))
        # Keep reading what it prints, so a full pipe never blocks it.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
        Path(file.name).unlink(missing_ok=True)
