"""Bounded load test on loopback: N concurrent users for S seconds mixing ask, search, clauses and briefs.

`make bench BENCH_ARGS="--only load"` (options --load-seconds, --load-users, --load-workers). The app runs
as `assistant serve --workers W` in its own process over the bench index of the shared corpus; every
request goes to 127.0.0.1 and the loop stops by itself at the deadline. Prints, per endpoint, requests,
errors (any status other than 200, or a transport error) and p50/p95 latency.

Then the same mix through HAProxy in front of one, then two replicas (`assistant serve` each on its own
empty data dir, the catalog in a throwaway PostgreSQL, the vectors in a Chroma server), and how long an
empty replica takes to catch up with the shared corpus (start → `/readyz` 200).

`--only fault` runs the same mix against an app backed by a Chroma server that is stopped for a few
seconds in the middle: it counts 503s (expected, French), other errors (none expected) and the time
until requests succeed again.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.cluster import stop_process
from bench.common import CORPUS, free_port, settings_for, shared_index, title, wait_ready

VENV_BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "Quelle part des achats est orientée vers la fabrication française ?",
    "Quel est le seuil de dispense de publicité pour les travaux ?",
    "Qu'est-ce que l'Alliance du Fabriqué en France ?",
    "Comment prendre en compte le coût du cycle de vie dans l'attribution ?",
    "Quelles sont les règles des avances versées au titulaire ?",
]
SEARCHES = ["R2122-8", "commande publique durable", "sous-traitance paiement direct", "article 6 du CCAG",
            "indice de réparabilité achats publics"]
CLAUSES = [{"object": "fourniture de vêtements de travail pour les agents techniques", "amount": 180000},
           {"object": "achat de mobilier de bureau réparable", "amount": 90000, "types": ["durabilite-reparabilite"]}]
BRIEFS = [{"topic": "La commande publique, levier de réindustrialisation", "format": "note", "length": "court"},
          {"topic": "Achats publics et emploi industriel", "format": "communique"}]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    statuses: list[tuple[float, int]] = field(default_factory=list)  # (time, status) for the fault timeline

    def add(self, name: str, seconds: float, status: int, detail: str = "") -> None:
        self.statuses.append((time.perf_counter(), status))
        if status == 200:
            self.latencies.setdefault(name, []).append(seconds)
        else:
            self.errors.setdefault(name, []).append(f"{status} {detail[:120]}")


def requests_mix(has_briefs: bool) -> list[tuple[str, str, str, list]]:
    """(name, method, path, payloads): a user cycles through them (briefs only when the app has them)."""
    mix = [("ask", "POST", "/api/ask", [{"question": q} for q in QUESTIONS]),
           ("search", "GET", "/api/search", [{"q": q, "k": 5} for q in SEARCHES]),
           ("clauses", "POST", "/api/clauses", CLAUSES)]
    if has_briefs:
        mix.append(("briefs", "POST", "/api/briefs", BRIEFS))
    return mix


async def run_users(url: str, users: int, seconds: float, mix: list, stats: Stats) -> float:
    deadline = time.perf_counter() + seconds

    async def user(n: int, http: httpx.AsyncClient) -> None:
        i = n
        while time.perf_counter() < deadline:
            name, method, path, payloads = mix[i % len(mix)]
            payload = payloads[(i // len(mix)) % len(payloads)]
            i += 1
            t0 = time.perf_counter()
            try:
                if method == "GET":
                    response = await http.get(url + path, params=payload)
                else:
                    response = await http.post(url + path, json=payload)
                stats.add(name, time.perf_counter() - t0, response.status_code, response.text)
            except httpx.HTTPError as exc:
                stats.add(name, time.perf_counter() - t0, 0, f"{type(exc).__name__} {exc}")

    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(*(user(n, http) for n in range(users)))
    return time.perf_counter() - started


def start_app(env: dict[str, str], workers: int, ready_within: float = 120) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(VENV_BIN / "assistant"), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(url, ready_within, proc)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    stop_process(proc, timeout=30)


def warm_up(url: str, mix: list, workers: int) -> None:
    """Each request once per worker: models loaded and caches filled before the clock starts."""
    with httpx.Client(timeout=300) as http:
        for _ in range(max(1, workers) * 2):
            for name, method, path, payloads in mix:
                for payload in payloads:
                    (http.get(url + path, params=payload) if method == "GET" else http.post(url + path, json=payload))


def report(stats: Stats, elapsed: float) -> None:
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"{total + errors} requêtes en {elapsed:.1f} s ({(total + errors) / elapsed:.1f}/s) ; erreurs : {errors}")
    for name in sorted(set(stats.latencies) | set(stats.errors)):
        ms = sorted(s * 1000 for s in stats.latencies.get(name, []))
        n_err = len(stats.errors.get(name, []))
        if ms:
            p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
            print(f"  {name:8s} {len(ms) + n_err:6d} requêtes  {n_err:4d} erreurs  "
                  f"p50 {statistics.median(ms):7.0f} ms  p95 {p95:7.0f} ms")
        else:
            print(f"  {name:8s} {n_err:6d} requêtes  {n_err:4d} erreurs")
    for error in sorted({e for v in stats.errors.values() for e in v})[:5]:
        print(f"    {error}")


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    # The load comes from one address: the per-address rate limit (accounts) must not be what is measured.
    env.update(ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_RATE_LIMIT_PER_MINUTE="1000000",
               ASSISTANT_RATE_LIMIT_IP_PER_MINUTE="1000000", **extra)
    # Anonymous users drafting clauses and briefs: an open deployment, so that the mix measures the tools and
    # not the « connexion requise » answer of the default roles.
    for tool in ("CLAUSES", "BRIEFS", "VERIFY"):
        env[f"ASSISTANT_{tool}_ROLES"] = "public,member,buyer,staff,admin"
    return env


def has_briefs(url: str) -> bool:
    return "/api/briefs" in httpx.get(f"{url}/openapi.json", timeout=30).json().get("paths", {})


def bench_load(work: Path, seconds: float = 60, users: int = 50, workers: int = 1) -> None:
    title(f"Charge : {users} utilisateurs simultanés pendant {seconds:g} s, {workers} processus "
          "(ask, search, clauses, briefs ; boucle locale)")
    ours = shared_index(work)
    data_dir = ours.index.settings.data_dir
    ours.container.close()
    proc, url = start_app(app_env(data_dir), workers)
    try:
        mix = requests_mix(has_briefs(url))
        print("mélange : " + ", ".join(name for name, *_ in mix))
        warm_up(url, mix, workers)
        stats = Stats()
        elapsed = asyncio.run(run_users(url, users, seconds, mix, stats))
    finally:
        stop(proc)
    report(stats, elapsed)
    bench_replicas(work, seconds, users)


def bench_replicas(work: Path, seconds: float, users: int) -> None:
    """The mixed load through the balancer with 1 and 2 replicas on separate data dirs, and the catch-up time."""
    from bench.cluster import HAPROXY, PG_BIN, Balancer, ChromaServer, PostgresServer

    title(f"Répliques derrière HAProxy : {users} utilisateurs pendant {seconds:g} s, 1 puis 2 répliques "
          "(catalogue PostgreSQL, vecteurs dans un serveur Chroma, disques séparés)")
    if not (PG_BIN / "initdb").exists() or not Path(HAPROXY).exists():
        print("PostgreSQL (initdb) ou HAProxy absent : mesure ignorée.")
        return
    root = work / "replicas"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    postgres, chroma = PostgresServer(), ChromaServer(root / "chroma")
    postgres.start()
    chroma.start()
    processes: list[subprocess.Popen] = []
    balancer = None
    try:
        url = postgres.database("banc")
        dirs = [root / "replique-1", root / "replique-2"]
        envs = [app_env(d, ASSISTANT_DATABASE_URL=url, ASSISTANT_CHROMA_URL=chroma.url) for d in dirs]
        shared_cache = work / "shared" / "cache" / "embeddings.sqlite"
        if shared_cache.exists():  # the first replica's machine indexes with the shared index's vectors
            (dirs[0] / "cache").mkdir(parents=True, exist_ok=True)
            shutil.copy(shared_cache, dirs[0] / "cache" / "embeddings.sqlite")
        t0 = time.perf_counter()
        ingest = subprocess.run([str(VENV_BIN / "assistant"), "ingest", str(CORPUS)], env=envs[0], cwd=ROOT,
                                capture_output=True, text=True)
        if ingest.returncode:
            raise RuntimeError(f"indexation impossible : {ingest.stderr[-500:]}")
        print(f"indexation du corpus partagé (catalogue PostgreSQL, vecteurs Chroma) : {time.perf_counter() - t0:.1f} s")
        proc, first = start_app(envs[0], 1)
        processes.append(proc)
        for count in (1, 2):
            if count == 2:
                # An empty replica: BM25 and key figures rebuilt from the shared catalog (its embedding cache
                # starts empty too, so its first answers embed their sentences).
                t0 = time.perf_counter()
                proc, second = start_app(envs[1], 1, ready_within=1800)
                processes.append(proc)
                print(f"rattrapage d'une réplique vide (démarrage → /readyz 200) : {time.perf_counter() - t0:.1f} s")
                balancer.stop()
            servers = [first] if count == 1 else [first, second]
            balancer = Balancer(root, [u.removeprefix("http://") for u in servers])
            wait_ready(balancer.url, 60)
            mix = requests_mix(has_briefs(balancer.url))
            warm_up(balancer.url, mix, count)
            stats = Stats()
            elapsed = asyncio.run(run_users(balancer.url, users, seconds, mix, stats))
            print(f"--- {count} réplique{'s' if count > 1 else ''} ---")
            report(stats, elapsed)
    finally:
        if balancer is not None:
            balancer.stop()
        for proc in processes:
            stop(proc)
        chroma.stop()
        postgres.remove()


def bench_fault(work: Path, seconds: float = 30, users: int = 20, workers: int = 1) -> None:
    """Chroma server stopped at 1/3 of the run, started again (same port and path) at 1/2."""
    from assistant.container import Container
    from assistant.ingest.pipeline import Ingestor

    title(f"Panne : serveur Chroma arrêté pendant la charge ({users} utilisateurs, {seconds:g} s)")
    port = free_port()
    chroma_dir = work / "fault-chroma"
    shutil.rmtree(chroma_dir, ignore_errors=True)
    chroma_cmd = [str(VENV_BIN / "chroma"), "run", "--path", str(chroma_dir), "--host", "127.0.0.1", "--port", str(port)]

    def start_chroma() -> subprocess.Popen:
        proc = subprocess.Popen(chroma_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                return proc
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("le serveur Chroma n'a pas démarré")

    chroma = start_chroma()
    settings = settings_for(work / "fault", chroma_url=f"http://127.0.0.1:{port}")
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    shared_cache = work / "shared" / "cache" / "embeddings.sqlite"
    if shared_cache.exists():  # reuse the shared index's vectors
        settings.embedding_cache_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_cache, settings.embedding_cache_path)
    container = Container(settings)
    Ingestor(container.index).run([CORPUS])
    before = container.index.catalog.counts()
    container.close()
    app, url = start_app(app_env(settings.data_dir, ASSISTANT_CHROMA_URL=f"http://127.0.0.1:{port}"), workers)
    try:
        mix = requests_mix(has_briefs(url))
        warm_up(url, mix, 1)
        stats = Stats()

        async def scenario() -> tuple[float, float, float]:
            load = asyncio.create_task(run_users(url, users, seconds, mix, stats))
            await asyncio.sleep(seconds / 3)
            down = time.perf_counter()
            await asyncio.to_thread(stop, chroma_holder[0])
            await asyncio.sleep(seconds / 6)
            up = time.perf_counter()
            chroma_holder[0] = await asyncio.to_thread(start_chroma)
            return await load, down, up

        chroma_holder = [chroma]
        elapsed, down, up = asyncio.run(scenario())
        after = httpx.get(f"{url}/readyz", timeout=30).json()
    finally:
        stop(app)
        stop(chroma_holder[0])
    codes: dict[int, int] = {}
    for _, status in stats.statuses:
        codes[status] = codes.get(status, 0) + 1
    recovered = next((t for t, s in stats.statuses if t > up and s == 200), None)
    print(f"statuts : {dict(sorted(codes.items()))} ; Chroma arrêté {up - down:.1f} s")
    print("reprise : " + (f"{recovered - up:.1f} s après le redémarrage de Chroma" if recovered else "aucune"))
    print(f"index avant / après : {before['documents']} / {after.get('documents')} documents, "
          f"{before['chunks']} / {after.get('chunks')} passages, {after.get('vectors')} vecteurs")
    others = {c: n for c, n in codes.items() if c not in (200, 503)}
    print(f"erreurs autres que 503 : {sum(others.values())}")
