"""A draft to check, from what the user gives: pasted text, or a .txt, .md or .docx file (read in memory,
never written to disk: the pasted text is not kept)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from assistant.text.normalize import xml_safe

MAX_DRAFT_CHARS = 100_000
MAX_FILE_BYTES = 5 * 1024 * 1024
FORMATS = (".txt", ".md", ".docx")


class DraftError(ValueError):
    """A draft that cannot be read (French message)."""


def draft_text(name: str, data: bytes) -> str:
    """The text of a draft file: paragraphs one per line (a .docx's tables cell by cell)."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in FORMATS:
        raise DraftError(f"Format non pris en charge « {suffix or name} » : déposez un fichier .txt, .md ou .docx.")
    if len(data) > MAX_FILE_BYTES:
        raise DraftError(f"Fichier trop volumineux ({len(data) // 1024} Ko) : 5 Mo au plus.")
    if suffix == ".docx":
        text = _docx_text(data)
    else:
        text = _decoded(data)
    return checked(text)


def checked(text: str) -> str:
    """The draft itself, refused when empty or longer than the limit (nothing is cut silently). Control
    characters carry no words and cannot go into the Word export: they are dropped before anything is checked,
    so every finding's position holds in the exported draft."""
    text = xml_safe(text or "")
    if not text or not text.strip():
        raise DraftError("Le texte à vérifier est vide.")
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftError(f"Texte trop long ({len(text)} caractères) : {MAX_DRAFT_CHARS} au plus ; "
                         "vérifiez-le en plusieurs parties.")
    return text


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DraftError("Fichier illisible : enregistrez-le en texte UTF-8.")


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DraftError("Document Word illisible : ouvrez-le dans Word ou LibreOffice et enregistrez-le "
                         "de nouveau au format .docx.") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises lxml errors for damaged parts
        raise DraftError("Document Word illisible (fichier endommagé).") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append(Paragraph(block, document).text)
        elif block.tag.endswith("}tbl"):
            for row in Table(block, document).rows:
                lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)
