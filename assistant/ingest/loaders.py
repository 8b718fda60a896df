"""Loaders: turn a file (.md, .txt, .html, .pdf, .docx) into cleaned blocks and in-file metadata.

Every failure is a LoadError whose message is French and shown in the ingest report.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from assistant.ingest import cleaning
from assistant.models import Block, LoadedDocument

SUPPORTED = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html",
             ".pdf": "pdf", ".docx": "docx"}
_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_LOOSE_KEY = re.compile(r"^(title|date|permalink|description|author|source|doc_type|audience)\s*:\s*(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_KEEP_LINES = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\||>)")
_HR = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_HEADING_END = tuple(".!?…;:,»\"”)")


class LoadError(Exception):
    """A file that cannot be indexed; the message is French and ends up in the report."""


def load_file(path: Path) -> LoadedDocument:
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        accepted = ", ".join(sorted({k for k in SUPPORTED if k not in (".markdown", ".htm")}))
        raise LoadError(f"format non pris en charge ({path.suffix or 'sans extension'}) ; formats acceptés : {accepted}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"fichier inaccessible ({exc.strerror})") from exc
    if size == 0:
        raise LoadError("fichier vide")
    loader = {"markdown": _load_markdown, "text": _load_text, "html": _load_html,
              "pdf": _load_pdf, "docx": _load_docx}[fmt]
    doc = loader(path)
    doc.format = fmt
    doc.blocks = cleaning.drop_repeated_paragraphs(doc.blocks)
    if not any(b.kind == "para" and b.text.strip() for b in doc.blocks):
        raise LoadError("document vide : aucun texte exploitable après nettoyage")
    return doc


# --- text formats -----------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError("fichier binaire ou illisible : ce n'est pas du texte")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _split_front_matter(text: str) -> tuple[str, dict[str, Any]]:
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise LoadError(f"en-tête YAML invalide : {str(exc).splitlines()[0]}") from exc
        if not isinstance(meta, dict):
            raise LoadError("en-tête YAML invalide : un dictionnaire clé: valeur est attendu")
        return text[match.end():], meta
    # Some exported pages carry "title: …" lines without the --- fences.
    lines = text.lstrip("\n").split("\n")
    meta: dict[str, Any] = {}
    consumed = 0
    for line in lines:
        m = _LOOSE_KEY.match(line.strip())
        if not m:
            break
        meta[m.group(1)] = m.group(2).strip().strip("\"'")
        consumed += 1
    if len(meta) >= 2:
        return "\n".join(lines[consumed:]), meta
    return text, {}


def _prepare_lines(text: str, meta: dict[str, Any]) -> list[str]:
    text, comments = cleaning.strip_html_comments(text)
    source = cleaning.source_from_comments(comments)
    if source:
        meta.setdefault("source_comment", source)
    text, front = _split_front_matter(text)
    for key, value in front.items():
        meta.setdefault(key, value)
    lines = [cleaning.normalize_whitespace(ln) for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [cleaning.strip_byline_remnant(ln) for ln in lines if not cleaning.is_boilerplate(ln)]
    return cleaning.drop_navigation_runs(lines)


def _load_markdown(path: Path) -> LoadedDocument:
    meta: dict[str, Any] = {}
    lines = _prepare_lines(_read_text(path), meta)
    return LoadedDocument(blocks=markdown_blocks(lines), meta=meta)


def _load_text(path: Path) -> LoadedDocument:
    meta: dict[str, Any] = {}
    lines = _prepare_lines(_read_text(path), meta)
    if cleaning.looks_like_pdf_text(lines):
        lines = cleaning.join_broken_lines(lines)
        meta["pdf_like"] = True
    return LoadedDocument(blocks=plain_blocks(lines), meta=meta)


def markdown_blocks(lines: list[str], page: int | None = None) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            keep = any(_MD_KEEP_LINES.match(ln) for ln in para)
            blocks.append(Block("para", ("\n" if keep else " ").join(para), page=page))
            para.clear()

    for line in lines:
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", heading.group(2).strip(), level=len(heading.group(1)), page=page))
        elif not line.strip() or _HR.match(line):
            flush()
        else:
            para.append(line)
    flush()
    return blocks


def _looks_like_heading(line: str, following: str | None) -> bool:
    words = line.split()
    if not words or len(words) > 14 or len(line) > 110 or line.endswith(_HEADING_END):
        return False
    if cleaning._BULLET.match(line):
        return False
    return following is not None and len(following) > max(2 * len(line), 60)


def plain_blocks(lines: list[str], page: int | None = None) -> list[Block]:
    """Plain text: one paragraph per line; short unpunctuated lines before a long one are headings."""
    nonempty = [ln for ln in lines if ln.strip()]
    blocks: list[Block] = []
    for i, line in enumerate(nonempty):
        following = nonempty[i + 1] if i + 1 < len(nonempty) else None
        if _looks_like_heading(line, following):
            blocks.append(Block("heading", line, level=1 if not blocks else 2, page=page))
        else:
            blocks.append(Block("para", line, page=page))
    return blocks


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dt", "dd",
               "figcaption", "div", "section", "article", "main", "tr", "table", "ul", "ol", "dl", "body"}
_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
              "iframe", "template", "select", "input"]


def _load_html(path: Path) -> LoadedDocument:
    from bs4 import BeautifulSoup, Comment

    raw = _read_text(path)
    soup = BeautifulSoup(raw, "html.parser")
    meta: dict[str, Any] = {}
    comments = [str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment))]
    source = cleaning.source_from_comments(comments)
    if source:
        meta["source_comment"] = source
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    if soup.title and soup.title.get_text(strip=True):
        meta["html_title"] = soup.title.get_text(" ", strip=True)
    for prop in ("og:title", "article:published_time", "date", "dc.date", "og:url", "description"):
        tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
        if tag and tag.get("content"):
            meta[f"html_{prop}"] = tag["content"].strip()
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    root = soup.body or soup
    lines: list[tuple[str, str]] = []  # (kind, text)

    def walk(node) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                continue
            if name in _BLOCK_TAGS and child.find(list(_BLOCK_TAGS - {"body"})) is not None:
                walk(child)  # container: descend to the leaf blocks
                continue
            if name in _BLOCK_TAGS or name in ("span", "a", "strong", "em", "b", "i"):
                text = cleaning.normalize_whitespace(child.get_text(" ", strip=True))
                if text:
                    lines.append((name, text))

    walk(root)
    if not lines:  # markup without block tags: fall back to the text lines
        lines = [("p", ln) for ln in root.get_text("\n").split("\n")]
    texts = cleaning.drop_navigation_runs(
        [t for _, t in lines if not cleaning.is_boilerplate(cleaning.normalize_whitespace(t))])
    kept = set(texts)
    blocks = []
    for name, text in lines:
        text = cleaning.normalize_whitespace(text)
        if not text or text not in kept:
            continue
        if re.fullmatch(r"h[1-6]", name):
            blocks.append(Block("heading", text, level=int(name[1])))
        else:
            blocks.append(Block("para", ("- " + text) if name == "li" else text))
    return LoadedDocument(blocks=blocks, meta=meta)


# --- PDF --------------------------------------------------------------------------------------

def _load_pdf(path: Path) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - unsupported crypto is also "cannot open"
                ok = 0
            if not ok:
                raise LoadError("PDF chiffré ou protégé par un mot de passe : impossible d'en lire le texte")
        pages = [(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
        info = reader.metadata or {}
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise LoadError(f"PDF illisible ou corrompu ({type(exc).__name__})") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many error types on broken files
        raise LoadError(f"PDF illisible ou corrompu ({type(exc).__name__})") from exc
    meta: dict[str, Any] = {"pages": len(pages)}
    title = getattr(info, "title", None) if info else None
    if title and str(title).strip():
        meta["pdf_title"] = str(title).strip()
    page_lines = [[cleaning.normalize_whitespace(ln) for ln in text.split("\n")] for _, text in pages]
    running = cleaning.running_lines(page_lines)
    blocks: list[Block] = []
    for (number, _), lines in zip(pages, page_lines):
        lines = [ln for ln in lines if ln not in running and not cleaning.is_page_number(ln)
                 and not cleaning.is_boilerplate(ln)]
        blocks.extend(plain_blocks(cleaning.join_broken_lines(lines), page=number))
    if not any(b.text.strip() for b in blocks):
        raise LoadError("PDF sans texte extractible (document scanné ?) : aucune page ne contient de texte")
    return LoadedDocument(blocks=blocks, meta=meta)


# --- DOCX -------------------------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"^(heading|titre)\s*(\d)$", re.IGNORECASE)


def _load_docx(path: Path) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        if not zipfile.is_zipfile(path):
            raise LoadError("DOCX corrompu : le fichier n'est pas une archive Word valide")
        document = docx.Document(str(path))
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, BadZipFile, lxml errors…
        raise LoadError(f"DOCX illisible ou corrompu ({type(exc).__name__})") from exc
    meta: dict[str, Any] = {}
    props = document.core_properties
    if props.title:
        meta["docx_title"] = props.title.strip()
    if props.created:
        meta["docx_created"] = props.created.date().isoformat()
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = cleaning.normalize_whitespace(item.text)
            if not text or cleaning.is_boilerplate(text):
                continue
            style = (item.style.name if item.style is not None else "") or ""
            heading = _HEADING_STYLE.match(style.strip())
            if heading:
                blocks.append(Block("heading", text, level=int(heading.group(2))))
            elif style.strip().lower() in ("title", "titre"):
                blocks.append(Block("heading", text, level=1))
                meta.setdefault("docx_title", text)
            else:
                blocks.append(Block("para", text))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    value = cleaning.normalize_whitespace(cell.text)
                    if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                        cells.append(value)
                if cells:
                    blocks.append(Block("para", " | ".join(cells)))
    return LoadedDocument(blocks=blocks, meta=meta)
