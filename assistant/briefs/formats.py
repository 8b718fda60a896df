"""Brief formats as data: the section plan of each format, the audiences, the banks of objections and questions.

Everything lives in prompts/briefs/ (YAML plans, Jinja2 query and Markdown templates) so that staff can
change a plan, a query or a question without touching the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.briefs.models import BRIEF_FORMATS
from assistant.grounding.prompts import DEFAULT_PROMPTS_DIR, prompts_for


def _strings():
    """The prompts' Jinja2 environment, for the one-line queries and titles of the format files (strict too)."""
    return prompts_for(DEFAULT_PROMPTS_DIR).env


class BriefFormatError(RuntimeError):
    """A format file is missing or malformed (French message)."""


@dataclass(frozen=True)
class SectionPlan:
    id: str
    title: str
    kind: str  # passages | messages | figures | quote | objections | faq | boilerplate
    style: str
    queries: tuple[str, ...]
    max_items: int
    min_items: int
    # Document types searched first (advocacy prose rather than raw articles of law); all types when empty.
    doc_types: tuple[str, ...] = ()

    @property
    def about_topic(self) -> bool:
        """Whether the section's queries are about the brief's topic (some, like « À propos », are fixed)."""
        return any("topic" in q for q in self.queries)

    def rendered_queries(self, topic: str, hint: str) -> list[str]:
        return [" ".join(_strings().from_string(q).render(topic=topic, hint=hint).split()) for q in self.queries]


@dataclass(frozen=True)
class FormatPlan:
    id: str
    label: str
    title: str
    sections: tuple[SectionPlan, ...]

    def render_title(self, topic: str) -> str:
        return " ".join(_strings().from_string(self.title).render(topic=topic).split())


@dataclass(frozen=True)
class Prompted:
    """An objection or a question of a bank, with where to look for its answer."""

    label: str  # the objection or the question, as printed
    query: str  # what is searched (the question itself by default)
    articles: tuple[str, ...] = ()  # articles of the code put first in the evidence


@dataclass(frozen=True)
class BriefLibrary:
    formats: dict[str, FormatPlan]
    audiences: dict[str, dict[str, str]]
    lengths: dict[str, float]
    objections: tuple[Prompted, ...]
    questions: tuple[Prompted, ...]
    # The team's « À propos » sentences (a-propos.yaml): `label` the sentence, `query` where its facts are found.
    about: tuple[Prompted, ...] = ()
    # The team's key messages (messages.yaml): `label` the message, `query` where its support is found.
    messages: tuple[Prompted, ...] = ()


def _read(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise BriefFormatError(f"Fichier de format introuvable : {path}") from exc
    except yaml.YAMLError as exc:
        raise BriefFormatError(f"Fichier de format illisible : {path} ({exc})") from exc


_KINDS = {"passages", "messages", "figures", "quote", "objections", "faq", "boilerplate"}
_STYLES = {"paragraph", "lead", "bullets", "figures", "messages", "quote", "qa"}


def _format(data: dict, path: Path) -> FormatPlan:
    sections = []
    for s in data.get("sections") or []:
        if s.get("kind") not in _KINDS or s.get("style") not in _STYLES:
            raise BriefFormatError(f"{path} : section « {s.get('id')} » de type ou de style inconnu")
        sections.append(SectionPlan(id=s["id"], title=s["title"], kind=s["kind"], style=s["style"],
                                    queries=tuple(s.get("queries") or ()), max_items=int(s.get("max_items", 3)),
                                    min_items=int(s.get("min_items", 1)),
                                    doc_types=tuple(s.get("doc_types") or ())))
    if not sections:
        raise BriefFormatError(f"{path} : aucune section")
    return FormatPlan(id=data["id"], label=data["label"], title=data["title"], sections=tuple(sections))


@lru_cache(maxsize=4)
def load_library(prompts_dir: Path = DEFAULT_PROMPTS_DIR) -> BriefLibrary:
    base = Path(prompts_dir) / "briefs"
    formats = {name: _format(_read(base / f"{name}.yaml"), base / f"{name}.yaml") for name in BRIEF_FORMATS}
    audiences = _read(base / "audiences.yaml")
    objections = tuple(Prompted(o["objection"], o["query"], tuple(o.get("articles") or ()))
                       for o in _read(base / "objections.yaml").get("objections", []))
    questions = tuple(Prompted(q["question"], q.get("query") or q["question"], tuple(q.get("articles") or ()))
                      for q in _read(base / "faq_questions.yaml").get("questions", []))
    about = tuple(Prompted(a["text"], a["query"]) for a in _read(base / "a-propos.yaml").get("sentences", []))
    messages_file = base / "messages.yaml"  # optional: without it, argument sections are drawn from the topic
    messages = tuple(Prompted(m["text"], m["query"]) for m in
                     (_read(messages_file).get("messages", []) if messages_file.exists() else []))
    return BriefLibrary(formats=formats, audiences=audiences["audiences"], lengths=audiences["lengths"],
                        objections=objections, questions=questions, about=about, messages=messages)
