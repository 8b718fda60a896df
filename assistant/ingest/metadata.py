"""Document metadata: doc_id, title, doc_type, date, source, audience.

Precedence: front matter > sidecar corpus.yaml > what the file says of itself (HTML/PDF/DOCX
properties, source comment) > folder rules > detection from the text.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.ingest.loaders import LoadError
from assistant.models import AUDIENCES, DOC_TYPE_LABELS, DocumentMeta, LoadedDocument
from assistant.text.dates import YEAR_PATTERN, find_full_date, find_month_year, french_date_iso
from assistant.text.normalize import fold, shorten, slugify

SIDECAR = "corpus.yaml"
_ISO_DATE = re.compile(r"\b(" + YEAR_PATTERN + r")-(\d{2})(?:-(\d{2}))?\b")
_AUDIENCE_SYNONYMS = {"public": "public", "tous": "public", "members": "members", "membres": "members",
                      "adherents": "members", "member": "members", "staff": "staff", "equipe": "staff",
                      "interne": "staff", "salaries": "staff"}
_LEGAL_HEADING = re.compile(r"^Article\s+(?:[LRD]\.?\s?\d|CCAG\b)")


@lru_cache(maxsize=1)
def _folder_rules() -> tuple[list[tuple[set[str], str]], str]:
    data = yaml.safe_load(Path(__file__).with_name("folder_rules.yaml").read_text(encoding="utf-8"))
    rules = [({fold(f) for f in r["folders"]}, r["doc_type"]) for r in data["rules"]]
    return rules, data.get("default", "note")


@lru_cache(maxsize=256)
def _read_sidecar(path: Path, mtime: float) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LoadError(f"{path} invalide : {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise LoadError(f"{path} invalide : un dictionnaire avec « defaults » et « files » est attendu")
    return data


def sidecar_meta(path: Path, root: Path) -> dict[str, Any]:
    """Metadata from corpus.yaml files between the ingest root and the file (inner ones win)."""
    meta: dict[str, Any] = {}
    folders = [root] + [root.joinpath(*path.relative_to(root).parts[:i])
                        for i in range(1, len(path.relative_to(root).parts))]
    for folder in folders:
        sidecar = folder / SIDECAR
        if not sidecar.is_file():
            continue
        data = _read_sidecar(sidecar, sidecar.stat().st_mtime)
        meta.update(data.get("defaults") or {})
        rel = path.relative_to(folder).as_posix()
        for pattern, values in (data.get("files") or {}).items():
            if fnmatch.fnmatch(rel, pattern) and isinstance(values, dict):
                meta.update(values)
    return meta


def folder_doc_type(path: Path, root: Path) -> str | None:
    rules, _ = _folder_rules()
    parts = [fold(p) for p in path.relative_to(root).parts[:-1]] if path != root else []
    parts = [fold(p) for p in root.parts[-1:]] + parts
    for part in reversed(parts):
        for folders, doc_type in rules:
            if part in folders:
                return doc_type
    return None


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = _ISO_DATE.search(text)
    if match:
        year, month, day = match.group(1), match.group(2), match.group(3)
        return f"{year}-{month}-{day}" if day else f"{year}-{month}"
    written = find_full_date(text)
    if written:
        return written
    raise LoadError(f"date invalide « {text} » : utilisez le format AAAA-MM-JJ")


def detect_date(doc: LoadedDocument) -> str | None:
    """A publication date written in the text: a full date near the start, or « mois AAAA » at the end."""
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    written = find_full_date(" ".join(paras)[:1500])
    if written:
        return written
    tail = paras[-1] if paras else ""
    written = find_month_year(tail)
    if written and len(fold(tail)) < 200:
        return written
    return None


def is_legal_text(doc: LoadedDocument) -> bool:
    return any(b.kind == "heading" and _LEGAL_HEADING.match(b.text) for b in doc.blocks)


def legal_position(doc: LoadedDocument) -> str | None:
    """The « Partie › Livre › Titre › Chapitre » line of a code extract."""
    for block in doc.blocks:
        if block.kind == "para" and "›" in block.text:
            lines = [ln.lstrip("> ").strip() for ln in block.text.split("\n")]
            for line in lines:
                if "›" in line:
                    return line.replace("**", "").strip()
    return None


# A plain-text title: short, one sentence at most (no full stop inside), not ending like a clause of the text.
_TITLE_LINE = re.compile(r"(?!.*[.!?]\s)[^\n]{3,150}(?<![;:,])")


def _title(explicit: Any, doc: LoadedDocument, legal: bool, source: str, date: str | None, doc_type: str,
           path: Path) -> str:
    """The document's own title, else its opening heading or title line, else where and when it was published
    (« site.fr, JJ mois AAAA », « Article de presse du JJ mois AAAA »), else its file name: never the
    first sentence of its text, which makes a list of sources hard to scan."""
    if explicit and str(explicit).strip():
        return str(explicit).strip()
    for key in ("html_og:title", "html_title", "pdf_title", "docx_title"):
        if doc.meta.get(key):
            return str(doc.meta[key])
    first_heading = next((b for b in doc.blocks if b.kind == "heading"), None)
    if legal and first_heading is not None:
        position = legal_position(doc) or ""
        prefix = "CCAG Fournitures et services" if position.startswith("CCAG") else "Code de la commande publique"
        return f"{prefix} — {first_heading.text}"
    first_block = doc.blocks[0] if doc.blocks else None
    if first_heading is not None and first_heading is first_block:
        return first_heading.text
    opening = " ".join(first_block.text.split()) if first_block is not None else ""
    if _TITLE_LINE.fullmatch(opening):
        return opening.rstrip(".")  # a plain-text title (a PDF's may span lines and close on a full stop)
    when = french_date_iso(date) if date else ""
    site = re.match(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:/|$)", source.strip().lower())
    if site and not Path(source).is_absolute() and "@" not in source:  # a site, not a repository at a commit
        return f"{site.group(1)}, {when}" if when else site.group(1)
    label = DOC_TYPE_LABELS.get(doc_type)
    if label and when:
        return f"{label} du {when}"
    return path.stem.replace("_", " ").replace("-", " ").strip() or "Sans titre"


def normalize_audience(value: Any) -> str:
    key = fold(str(value or "public")).strip()
    if key not in _AUDIENCE_SYNONYMS:
        raise LoadError(f"audience inconnue « {value} » : valeurs possibles {', '.join(AUDIENCES)}")
    return _AUDIENCE_SYNONYMS[key]


def doc_id_for(path: Path, root: Path) -> str:
    rel = path.relative_to(root) if path != root else Path(path.name)
    return "/".join(slugify(p, 60) for p in rel.with_suffix("").parts)


def resolve_metadata(path: Path, root: Path, doc: LoadedDocument, doc_id: str) -> DocumentMeta:
    side = sidecar_meta(path, root)
    front = {k: v for k, v in doc.meta.items() if k in ("title", "doc_type", "date", "source", "audience", "doc_id")}
    explicit = {**side, **front}
    legal = is_legal_text(doc)
    doc_type = explicit.get("doc_type") or ("procurement_law" if legal else None) \
        or folder_doc_type(path, root) or _folder_rules()[1]
    date = _iso(explicit.get("date")) if explicit.get("date") else (
        _iso(doc.meta.get("html_article:published_time") or doc.meta.get("html_date") or doc.meta.get("docx_created"))
        or (None if legal else detect_date(doc)))
    source = explicit.get("source") or doc.meta.get("html_og:url") or doc.meta.get("source_comment") or str(path)
    extra: dict[str, Any] = {}
    # Who publishes the document, for bibliographies (front matter `publisher:` or `author:`, HTML site name).
    publisher = side.get("publisher") or doc.meta.get("publisher") or doc.meta.get("author") \
        or doc.meta.get("html_og:site_name")
    if publisher and str(publisher).strip():
        extra["publisher"] = " ".join(str(publisher).split())[:200]
    if legal:
        position = legal_position(doc)
        if position:
            extra["position"] = position
    return DocumentMeta(
        doc_id=str(explicit.get("doc_id") or doc_id),
        title=_title(explicit.get("title"), doc, legal, str(source), date, slugify(str(doc_type)).replace("-", "_"), path),
        doc_type=slugify(str(doc_type)).replace("-", "_"),
        date=date,
        source=str(source),
        audience=normalize_audience(explicit.get("audience")),
        path=str(path),
        extra=extra,
    )
