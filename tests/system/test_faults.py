"""Fault: the Chroma server stops while requests run, then comes back on the same port and path.

The app (a real `assistant serve` process) answers 503 with a French message quickly, stays alive
(/healthz) but not ready (/readyz), never answers 500, and serves again once Chroma is back, without
being restarted; nothing indexed is lost.
"""

from __future__ import annotations

import threading
import time
import urllib.parse

from assistant.index.store import IndexStore
from tests.conftest import make_settings
from tests.system.test_scale_out import QUESTIONS, AppProcess, call, cluster  # noqa: F401 - fixture

SEARCH = "/api/search?" + urllib.parse.urlencode({"q": QUESTIONS[1], "k": 5})


def _timed(base: str, path: str, body: dict | None = None) -> tuple[int, dict, float]:
    t0 = time.monotonic()
    status, payload = call(base, path, body, timeout=30)
    return status, payload, time.monotonic() - t0


def test_chroma_outage_fails_fast_in_french_and_recovers(cluster):
    chroma, settings, env = cluster
    app = AppProcess(env)
    statuses: list[int] = []
    stop = threading.Event()

    def load() -> None:  # background traffic through the whole outage (bounded by the test's duration)
        i = 0
        while not stop.is_set() and i < 2000:
            path, body = (SEARCH, None) if i % 2 else ("/api/ask", {"question": QUESTIONS[i % 2]})
            statuses.append(call(app.url, path, body, timeout=30)[0])
            i += 1

    try:
        status, before, _ = _timed(app.url, "/readyz")
        assert status == 200 and before["vectors"] == before["chunks"]
        expected = call(app.url, SEARCH)[1]
        assert expected
        workers = [threading.Thread(target=load, daemon=True) for _ in range(3)]
        for w in workers:
            w.start()
        time.sleep(1.0)

        chroma.stop()
        for path, body in [(SEARCH, None), ("/api/ask", {"question": QUESTIONS[0]}),
                           ("/api/ask", {"question": "Quelles aides pour les PME industrielles ?"})] * 2:
            status, payload, seconds = _timed(app.url, path, body)
            assert status == 503, payload
            assert "indisponible" in payload["detail"] and "Chroma" in payload["detail"]
            assert seconds < 5, f"{path} a mis {seconds:.1f} s à échouer"
        assert _timed(app.url, "/healthz")[0] == 200
        status, ready, _ = _timed(app.url, "/readyz")
        assert status == 503 and ready["status"] == "indisponible" and "injoignable" in ready["detail"]

        chroma.start()  # same port, same path
        deadline = time.monotonic() + 30
        while call(app.url, SEARCH)[0] != 200:
            assert time.monotonic() < deadline, "la recherche ne reprend pas après le retour de Chroma"
            time.sleep(0.5)
        assert call(app.url, SEARCH)[1] == expected
        status, answer = call(app.url, "/api/ask", {"question": QUESTIONS[0]})
        assert status == 200 and answer["citations"]
        status, after, _ = _timed(app.url, "/readyz")
        assert status == 200 and {k: after[k] for k in ("documents", "chunks", "vectors")} == \
            {k: before[k] for k in ("documents", "chunks", "vectors")}
    finally:
        stop.set()
        for w in workers if "workers" in locals() else []:
            w.join(timeout=60)
        app.stop()
    assert statuses and set(statuses) <= {200, 503}, f"statuts inattendus : {sorted(set(statuses))}"
    assert 503 in statuses and statuses[-1] == 200

    index = IndexStore(make_settings(settings.data_dir, chroma_url=chroma.url))
    try:
        assert index.vectors.ids() == index.catalog.chunk_ids()
    finally:
        index.close()
