"""Fixtures shared by the monitoring tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """The URL of a local S3-compatible server (moto's), started for the module."""
    from tests.conftest import unavailable

    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        unavailable("moto is not installed (pip install 'moto[s3]' flask-cors)")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
