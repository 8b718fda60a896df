"""The layout holds: data flows one way, the engines are siblings, the edges are thin, one container builds.

Read from the code's own imports (an AST walk of the package files), so that a shortcut taken later
fails here rather than in a review.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("assistant", "api", "bench")
ENGINES = ("assistant.answer", "assistant.clauses", "assistant.briefs", "assistant.factcheck")
# Objects only the container may build (the CLI, the API and the benchmarks ask it for them).
BUILT_BY_CONTAINER = ("AnswerEngine(", "BriefGenerator(", "ClauseGenerator(", "FactChecker(", "Grounding(", "LLMClient.from_settings(",
                      "ConversationStore(", "FeedbackStore(", "UserStore(", "AuditLog(")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _files() -> dict[str, Path]:
    return {_module(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (at any depth of the file, lazy imports included)."""
    files = _files()
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                candidates = [f"{base}.{a.name}" for a in node.names] + [base]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            for name in candidates:
                while name and name not in files:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    graph[module].add(name)
                    break
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def _edges(graph, source: str, target: str) -> list[tuple[str, str]]:
    return sorted((a, b) for a, bs in graph.items() for b in bs
                  if (a == source or a.startswith(source + ".")) and (b == target or b.startswith(target + ".")))


def test_the_graph_reader_sees_real_imports(graph):
    # A reader that found nothing would make every check below pass.
    assert "assistant.grounding.base" in graph["assistant.container"]
    assert "assistant.answer.engine" in graph["assistant.container"]


def test_cycle_detection_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle(graph):
    assert cycles(graph) == []


def test_the_engines_are_siblings(graph):
    for engine in ENGINES:
        for other in ENGINES:
            if other != engine:
                assert _edges(graph, engine, other) == [], f"{engine} importe {other}"


@pytest.mark.parametrize("lower", ["assistant.text", "assistant.ingest", "assistant.index", "assistant.retrieval",
                                   "assistant.thresholds",
                                   "assistant.grounding"])
def test_data_flows_one_way(graph, lower):
    """Nothing below the engines imports an engine, a renderer, a service, the container or an edge."""
    for upper in (*ENGINES, "assistant.render", "assistant.services", "assistant.container", "assistant.cli", "api",
                  "bench"):
        assert _edges(graph, lower, upper) == []


def test_routers_import_no_router_and_no_cli(graph):
    for router, imported in graph.items():
        if router.startswith("api.routers."):
            assert not {m for m in imported if m.startswith("api.routers.")}, router
            assert not {m for m in imported if m == "assistant.cli" or m.startswith("assistant.cli.")}, router


def test_the_edges_get_engines_and_stores_from_the_container():
    """The API, the CLI and the benchmarks never assemble an engine or a store themselves."""
    offenders = []
    for module, path in _files().items():
        if not module.startswith(("api.", "assistant.cli", "bench.")):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [(module, call) for call in BUILT_BY_CONTAINER if re.search(r"(?<![\w.])" + re.escape(call), text)]
    assert offenders == []


def test_citation_marker_pattern_is_defined_once():
    pattern = re.compile(r"\\\[\(?\\d")  # the source text of a regex matching « [digits »
    defined = [str(p.relative_to(ROOT)) for package in PACKAGES for p in (ROOT / package).rglob("*.py")
               if pattern.search(p.read_text(encoding="utf-8"))]
    # The LLM client normalises other spellings (« [1, 3] », « [^2] ») into the one marker: a different pattern.
    assert defined == ["assistant/text/markers.py"] or sorted(defined) == sorted(
        ["assistant/text/markers.py", "assistant/grounding/llm/client.py"]), defined
