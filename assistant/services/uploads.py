"""Uploaded files: received, checked and stored before anything touches the index.

An upload is untrusted bytes. It is streamed to a temporary file inside the data dir (never held in
memory, reading stops past the size limit), its extension and content must agree (magic bytes, DOCX
archive sanity against zip bombs, text that decodes without NUL bytes), the loader must read it (an
encrypted, broken or scanned PDF is refused here), and only then is it moved with `os.replace` to
`<data>/uploads/<folder>/<safe name>`. The client's file name is reduced to a slug: it never becomes a
path. Every refusal is an `UploadRefused` with a French message and the HTTP status it maps to.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.loaders import LoadError, load_file
from assistant.text.normalize import slugify

MB = 1024 * 1024
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text",
              ".html": "html", ".htm": "html"}
# DOCX archive limits: a real Word file is a few dozen entries and rarely more than 20x compressed.
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 100 * MB
DOCX_MAX_RATIO = 100
FIELD_MAX_BYTES = 10_000  # a form field (title, source…): anything longer is not metadata
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class UploadRefused(Exception):
    """An upload that will not be indexed; `str()` is the French message shown to the user."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UploadTooLarge(UploadRefused):
    status = 413


class UnsupportedUpload(UploadRefused):
    """Wrong format, or content that does not match its extension."""

    status = 415


def uploads_dir(data_dir: Path) -> Path:
    return data_dir / "uploads"


def temp_dir(data_dir: Path) -> Path:
    """Partial uploads live here (same file system as their destination, so `os.replace` is atomic)."""
    return uploads_dir(data_dir) / ".tmp"


def safe_filename(name: str | None) -> str:
    """The client's file name reduced to `slug.ext`: no directory part, no dots but the extension's."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    slug = slugify(stem, 80) or "document"
    return f"{slug}.{ext}" if ext else slug


def format_max(limit: int) -> str:
    return f"{limit / MB:g} Mo"


# --- receiving ----------------------------------------------------------------------------------

@dataclass
class ReceivedUpload:
    """A multipart form as received: the file (in a temp file of the data dir) and the text fields."""

    path: Path | None = None
    filename: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


async def receive_multipart(content_type: str, body: AsyncIterator[bytes], data_dir: Path,
                            max_bytes: int, file_field: str = "file") -> ReceivedUpload:
    """Stream a multipart/form-data body: the part `file_field` goes to a temp file in the data dir,
    the other parts are small text fields. Stops reading (UploadTooLarge) as soon as the file passes
    `max_bytes`, so a huge body is never stored or held in memory."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UnsupportedUpload("Envoi invalide : un formulaire multipart/form-data avec un fichier est attendu.")
    tmp = temp_dir(data_dir)
    tmp.mkdir(parents=True, exist_ok=True)
    received = ReceivedUpload()
    state: dict = {"headers": {}, "name": None, "field": "", "value": b"", "file": None, "too_large": False}

    def on_part_begin() -> None:
        state.update(headers={}, name=None, field="", value=bytearray(), file=None, header_value=b"")

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end].decode("latin-1")

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["header_value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["field"].lower()] = state["header_value"]
        state["field"], state["header_value"] = "", b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(state["headers"].get("content-disposition", b""))
        state["name"] = disposition.get(b"name", b"").decode("utf-8", "replace")
        if state["name"] == file_field and b"filename" in disposition:
            if received.path is not None:
                raise UploadRefused("Envoi invalide : un seul fichier par envoi.")
            received.filename = disposition[b"filename"].decode("utf-8", "replace")
            # Named with the (sanitised) extension: the loader picks its format from it.
            ext = safe_filename(received.filename).rpartition(".")[2]
            received.path = tmp / f"{uuid.uuid4().hex}.{ext or 'part'}"
            state["file"] = open(received.path, "wb")  # noqa: SIM115 - closed in on_part_end / finally

    def on_part_data(data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if state["file"] is not None:
            received.size += len(chunk)
            if received.size > max_bytes:
                state["too_large"] = True
                raise UploadTooLarge(f"Fichier trop volumineux : la limite est de {format_max(max_bytes)}.")
            state["file"].write(chunk)
        else:
            state["value"] += chunk
            if len(state["value"]) > FIELD_MAX_BYTES:
                raise UploadRefused(f"Champ « {state['name']} » trop long.")

    def on_part_end() -> None:
        if state["file"] is not None:
            state["file"].close()
            state["file"] = None
        elif state["name"]:
            received.fields[state["name"]] = bytes(state["value"]).decode("utf-8", "replace")

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished})
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        _close(state)
        received.discard()
        raise UploadRefused("Envoi invalide : formulaire multipart mal formé.") from exc
    except BaseException:
        _close(state)
        received.discard()
        raise
    _close(state)
    if received.path is None:
        raise UploadRefused("Aucun fichier reçu : joignez un document (PDF, DOCX, Markdown, texte ou HTML).")
    return received


def _close(state: dict) -> None:
    if state.get("file") is not None:
        state["file"].close()
        state["file"] = None


# --- checking -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check: its format and the name it will be stored under."""

    path: Path
    format: str
    safe_name: str
    size: int


def check_upload(path: Path, filename: str | None, max_bytes: int) -> CheckedUpload:
    """Every check an upload must pass before it is stored and indexed (UploadRefused otherwise)."""
    name = safe_filename(filename)
    ext = "." + name.rpartition(".")[2] if "." in name else ""
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        raise UnsupportedUpload(f"Format non pris en charge ({ext or 'sans extension'}) : "
                                "envoyez un fichier PDF, DOCX, Markdown (.md), texte (.txt) ou HTML.")
    size = path.stat().st_size
    if size > max_bytes:
        raise UploadTooLarge(f"Fichier trop volumineux : la limite est de {format_max(max_bytes)}.")
    if size == 0:
        raise UploadRefused("Fichier vide : rien à indexer.")
    with open(path, "rb") as f:
        head = f.read(4096)
    if fmt == "pdf":
        if not head.startswith(b"%PDF-"):
            raise UnsupportedUpload("Contenu refusé : le fichier porte l'extension .pdf mais n'est pas un PDF.")
    elif fmt == "docx":
        if not head.startswith(b"PK\x03\x04"):
            raise UnsupportedUpload("Contenu refusé : le fichier porte l'extension .docx mais n'est pas un document Word.")
        check_docx_archive(path)
    else:
        check_text(path, fmt)
    # The loader is the judge of what can be read: encrypted, broken or scanned PDFs, empty documents.
    named = path if path.suffix.lower() == ext else path.with_name(f"{uuid.uuid4().hex}{ext}")
    if named != path:
        os.link(path, named)
    try:
        load_file(named)
    except LoadError as exc:
        raise UploadRefused(f"Fichier refusé : {exc}.") from exc
    finally:
        if named != path:
            named.unlink(missing_ok=True)
    return CheckedUpload(path=path, format=fmt, safe_name=name, size=size)


def check_docx_archive(path: Path) -> None:
    """A Word archive that is safe to open: a zip with word/document.xml, no path tricks, no bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused("Fichier refusé : archive DOCX corrompue.") from exc
    if len(entries) > DOCX_MAX_ENTRIES:
        raise UploadRefused(f"Fichier refusé : archive DOCX suspecte ({len(entries)} fichiers internes).")
    names = {e.filename for e in entries}
    if "word/document.xml" not in names:
        raise UnsupportedUpload("Contenu refusé : cette archive n'est pas un document Word (word/document.xml absent).")
    total = 0
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            raise UploadRefused("Fichier refusé : archive DOCX suspecte (chemin interne dangereux).")
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > DOCX_MAX_UNCOMPRESSED or (entry.file_size > MB and ratio > DOCX_MAX_RATIO):
            raise UploadRefused("Fichier refusé : archive DOCX suspecte (taux de compression anormal, "
                                "possible bombe de décompression).")


def check_text(path: Path, fmt: str) -> None:
    """Markdown, text and HTML must be text: no NUL byte, decodable as UTF-8 (or the HTML's declared charset)."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise UnsupportedUpload("Contenu refusé : le fichier contient des octets nuls, ce n'est pas un texte.")
    encoding = "utf-8-sig"
    if fmt == "html":
        declared = _CHARSET.search(data[:4096])
        if declared:
            encoding = declared.group(1).decode("ascii").lower()
    try:
        data.decode(encoding)
    except LookupError as exc:
        raise UnsupportedUpload(f"Contenu refusé : encodage déclaré inconnu ({encoding}).") from exc
    except UnicodeDecodeError as exc:
        raise UnsupportedUpload(f"Contenu refusé : le texte n'est pas encodé en {encoding.upper().replace('-SIG', '')} "
                                "(enregistrez-le en UTF-8).") from exc


# --- storing ------------------------------------------------------------------------------------

def store_upload(checked: CheckedUpload, data_dir: Path, folder: str) -> Path:
    """Move the checked temp file to `<data>/uploads/<folder>/<safe name>` (atomic rename)."""
    root = uploads_dir(data_dir).resolve()
    target = (root / folder / checked.safe_name).resolve()
    if root not in target.parents or target.parent.parent != root:
        raise UploadRefused("Nom de fichier refusé.")  # unreachable with slugs; a last guard all the same
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(checked.path, target)
    return target


def remove_stored(path: Path, data_dir: Path) -> None:
    """Delete an uploaded file and its folder, only if it really lies under `<data>/uploads/`."""
    root = uploads_dir(data_dir).resolve()
    folder = path.resolve().parent
    if folder.parent == root:
        shutil.rmtree(folder, ignore_errors=True)


def is_uploaded(path: str | Path, data_dir: Path) -> bool:
    root = uploads_dir(data_dir).resolve()
    return root in Path(path).resolve().parents
