"""The web app over the shared index, one per test module that asks for `client`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app


@pytest.fixture(scope="module")
def client(shared_settings):
    with TestClient(create_app(shared_settings)) as c:
        yield c
