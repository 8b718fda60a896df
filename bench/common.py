"""What the benchmark sections share: the corpus, the section title, the settings and the index of a run,
latency percentiles. A module of its own so that `bench.run` and `bench.load` both read it without
importing each other."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import statistics
from pathlib import Path

from assistant.config import Settings
from bench.pipelines import Ours
from bench.quality import SHARED

CORPUS = SHARED / "corpus"


def title(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


def settings_for(directory: Path, **overrides) -> Settings:
    return Settings(data_dir=directory, **overrides)


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"p50 {p50:.1f} ms  p95 {p95:.1f} ms  (n={len(ms)})"


def shared_index(work: Path) -> Ours:
    """Index of the shared corpus, reused between runs (incremental)."""
    ours = Ours(settings_for(work / "shared"))
    ours.ingest([CORPUS])
    return ours


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def piaf_index(work: Path, paragraphs: dict[str, dict]) -> Ours:
    """Every PIAF paragraph as a one-paragraph document, indexed like the corpus (reused between runs)."""
    corpus = work / "piaf-corpus"
    if not corpus.exists() or len(list(corpus.glob("*.md"))) != len(paragraphs):
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        for pid, para in paragraphs.items():
            title_yaml = para["title"].replace('"', "'")
            (corpus / f"{pid}.md").write_text(
                f'---\ntitle: "{title_yaml}"\ndoc_type: note\n---\n\n{para["context"]}\n', encoding="utf-8")
    ours = Ours(settings_for(work / "piaf-index"))
    t0 = time.perf_counter()
    report = ours.ingest([corpus])
    print(f"({len(paragraphs)} paragraphes indexés en {time.perf_counter() - t0:.0f} s, "
          f"{report.chunks_embedded} vectorisés)")
    return ours


def wait_ready(url: str, seconds: float = 120, proc: subprocess.Popen | None = None) -> None:
    """Until `url`/readyz answers 200; RuntimeError (French) when `proc` stops or the time runs out."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            if proc is not None:
                proc.kill()
            raise RuntimeError(f"{url} n'est pas prêt (le serveur de l'API n'a pas démarré)")
        time.sleep(0.3)
