"""Optional reranking of the fused candidates by a server (`ASSISTANT_RERANK_URL`).

Two request shapes exist and both are spoken: text-embeddings-inference (`POST {url}/rerank` with `query` and
`texts`, answering `[{"index", "score"}]`) and the Cohere/Jina/Albert style (`POST {url}/rerank` with `model`,
`query`, `documents`, `top_n`, answering `{"results": [{"index", "relevance_score"}]}`), chosen by
`ASSISTANT_RERANK_API` (`tei` or `cohere`). A reranker that fails leaves the fused order as it was (logged):
search never fails because an optional server does.
"""

from __future__ import annotations

import logging

import httpx

log = logging.getLogger(__name__)


class Reranker:
    def __init__(self, url: str, api: str = "cohere", model: str = "", top: int = 20, api_key: str | None = None,
                 timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.api, self.model, self.top = api, model, top
        self._client = httpx.Client(timeout=timeout, headers={"Authorization": f"Bearer {api_key}"} if api_key else {})

    def scores(self, query: str, texts: list[str]) -> list[float] | None:
        """One relevance score per text (higher is better), or None when the server cannot be used."""
        if not texts:
            return []
        if self.api == "tei":
            body = {"query": query, "texts": texts, "raw_scores": False}
        else:
            body = {"model": self.model, "query": query, "documents": texts, "top_n": len(texts)}
        try:
            response = self._client.post(f"{self.url}/rerank", json=body)
            response.raise_for_status()
            data = response.json()
            items = data if isinstance(data, list) else data["results"]
            scores = [float("-inf")] * len(texts)
            for item in items:
                scores[int(item["index"])] = float(item.get("score", item.get("relevance_score")))
            return scores
        except (httpx.HTTPError, KeyError, ValueError, TypeError, IndexError) as exc:
            log.warning("reranker %s unusable (%s): fused order kept", self.url, exc)
            return None

    def rerank(self, query: str, ranked: list[tuple[str, float]], texts: dict[str, str]) -> list[tuple[str, float]]:
        """The first `top` candidates reordered by the server's scores; the rest after them, as they were."""
        head = [(cid, s) for cid, s in ranked[:self.top] if cid in texts]
        scores = self.scores(query, [texts[cid] for cid, _ in head])
        if scores is None:
            return ranked
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        reordered = [(head[i][0], scores[i]) for i in order]
        seen = {cid for cid, _ in reordered}
        return reordered + [(cid, s) for cid, s in ranked if cid not in seen]
