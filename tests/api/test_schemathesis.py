"""Schemathesis against the app's own OpenAPI schema: generated requests (valid and invalid) on every
operation, over a real index, never get a 5xx.

Bounded: a few dozen examples per operation (see MAX_EXAMPLES) so the whole file stays under two minutes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from tests.conftest import ROOT, make_settings

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20"))  # more for a deeper local run


# The schema is read at import time (one test per operation); the index behind the app is built
# once, before the first test, by the autouse fixture below (the app opens its index lazily).
DATA_DIR = Path(tempfile.mkdtemp(prefix="schemathesis-"))
APP_SETTINGS = make_settings(DATA_DIR / "data")
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(APP_SETTINGS))


@pytest.fixture(scope="module", autouse=True)
def built_index():
    index = IndexStore(APP_SETTINGS)
    Ingestor(index).run([ROOT / "corpus"])
    index.close()
    yield
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    response = case.call(timeout=120)  # a brief takes seconds on a busy 2-core machine: slow is not an error
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code} : {response.text[:500]}\n"
        f"requête : query={case.query!r} body={case.body!r}")
