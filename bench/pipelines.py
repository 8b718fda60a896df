"""The pipelines compared by the benchmark: ours (through the real Ingestor and searcher) and the
plain LangChain tutorial pipeline (RecursiveCharacterTextSplitter 1000/200 + Chroma + similarity search)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.container import Container
from assistant.index.embeddings import EmbeddingCache, load_embedder
from assistant.ingest.pipeline import Ingestor
from assistant.text.normalize import sha256_hex
from bench.quality import Retrieved

_ARTICLE_HEADING = re.compile(r"^## Article (.+?)\s*$", re.MULTILINE)


def _article_id(heading: str) -> str:
    m = re.match(r"CCAG .*?(\d+)$", heading)
    return f"CCAG-FCS-{m.group(1)}" if m else heading.replace(" ", "")


class Ours:
    """Our pipeline as the application wires it: index and searcher from the container."""

    def __init__(self, settings: Settings):
        self.container = Container(settings)
        self.index = self.container.index
        self.searcher = self.container.searcher
        self._paths = {d["doc_id"]: d["path"] for d in self.index.catalog.documents()}

    def ingest(self, paths: list[Path]):
        report = Ingestor(self.index).run(paths)
        self._paths = {d["doc_id"]: d["path"] for d in self.index.catalog.documents()}
        return report

    def retrieve(self, query: str, k: int = 10) -> list[Retrieved]:
        hits = self.searcher.search(query, k=k)
        return [Retrieved({h.meta.get("article_id")} - {None}, self._paths.get(h.doc_id, h.doc_id)) for h in hits]


class Tutorial:
    """LangChain tutorial RAG: raw file text, 1000/200 recursive splits, Chroma, top-k similarity."""

    def __init__(self, cache_path: Path, embedder: str = "e5"):
        import chromadb

        self.embedder = load_embedder(embedder)
        self.cache = EmbeddingCache(cache_path)
        self.client = chromadb.EphemeralClient(settings=chromadb.Settings(anonymized_telemetry=False))
        self.collection = self.client.get_or_create_collection(
            f"tutorial-{uuid.uuid4().hex[:12]}", embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}})
        self.spans: dict[str, tuple[str, set[str]]] = {}

    def add_texts(self, items: list[tuple[str, str, list[tuple[int, int, str]]]]) -> int:
        """items: (path, text, article spans). Returns the number of chunks."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        ids, texts = [], []
        for path, text, spans in items:
            for doc in splitter.create_documents([text]):
                start = doc.metadata["start_index"]
                end = start + len(doc.page_content)
                covered = {aid for s, e, aid in spans if s < end and e > start}
                cid = f"{path}#{start}"
                self.spans[cid] = (path, covered)
                ids.append(cid)
                texts.append(doc.page_content)
        model_id = self.embedder.model_id + "/raw"
        hashes = [sha256_hex(t) for t in texts]
        cached = self.cache.get_many(model_id, hashes)
        todo = [(h, t) for h, t in zip(hashes, texts) if h not in cached]
        for start in range(0, len(todo), 16):
            batch = todo[start:start + 16]
            vectors = self.embedder.embed_documents([t for _, t in batch])
            self.cache.put_many(model_id, [(h, np.asarray(v, dtype=np.float32)) for (h, _), v in zip(batch, vectors)])
        cached = self.cache.get_many(model_id, hashes)
        for start in range(0, len(ids), 2000):
            self.collection.upsert(ids=ids[start:start + 2000],
                                   embeddings=np.stack([cached[h] for h in hashes[start:start + 2000]]))
        return len(ids)

    def retrieve(self, query: str, k: int = 10) -> list[Retrieved]:
        vector = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        result = self.collection.query(query_embeddings=[vector], n_results=k, include=[])
        return [Retrieved(self.spans[cid][1], self.spans[cid][0]) for cid in result["ids"][0]]


def shared_corpus_items(root: Path) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """Raw text of every .md/.txt file of the shared corpus with its article spans (for the tutorial)."""
    items = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        heads = list(_ARTICLE_HEADING.finditer(text))
        spans = [(m.start(), heads[i + 1].start() if i + 1 < len(heads) else len(text), _article_id(m.group(1)))
                 for i, m in enumerate(heads)]
        items.append((str(path), text, spans))
    return items
