"""Upload checks (assistant/uploads.py) on real files built here: PDF (fpdf2, pypdf), DOCX (python-docx,
zipfile), text; and the streaming multipart reader with its size limit (real python-multipart)."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.services.uploads import (MB, UnsupportedUpload, UploadRefused, UploadTooLarge, check_upload, receive_multipart,
                               safe_filename, store_upload, temp_dir, uploads_dir)

TEXT = "La commande publique représente 200 milliards d'euros par an en France selon l'observatoire."


def pdf_bytes(text: str = TEXT) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def blank_pdf_bytes() -> bytes:
    """A page with a drawing and no text: what a scan without OCR looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = TEXT) -> bytes:
    document = docx.Document()
    document.add_heading("Note sur la commande publique", level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx(size: int = 200 * MB) -> bytes:
    """A real DOCX plus a 200 MB run of zeros, deflated to a few hundred kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("word/media/zeros.bin", "w", force_zip64=True) as f:
            block = b"\0" * MB
            for _ in range(size // MB):
                f.write(block)
    return out.getvalue()


def docx_with_entry(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(name, b"x")
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(tmp_path: Path, filename: str, data: bytes, max_bytes: int = 20 * MB) -> UploadRefused:
    with pytest.raises(UploadRefused) as info:
        check_upload(write(tmp_path, "upload" + Path(safe_filename(filename)).suffix, data), filename, max_bytes)
    return info.value


def test_good_files_pass(tmp_path):
    html = "<html><head><meta charset='iso-8859-1'><title>Note</title></head><body><p>Achats publics : é</p></body></html>"
    cases = {"note.pdf": pdf_bytes(), "note.docx": docx_bytes(), "note.md": f"# Note\n\n{TEXT}\n".encode(),
             "note.txt": TEXT.encode("utf-8"), "page.html": html.encode("latin-1")}
    for name, data in cases.items():
        checked = check_upload(write(tmp_path, name, data), name, 20 * MB)
        assert checked.safe_name == name and checked.size == len(data)


def test_content_must_match_extension(tmp_path):
    assert refused(tmp_path, "rapport.pdf", b"<html>pas un pdf</html>").status == 415
    assert refused(tmp_path, "rapport.docx", pdf_bytes()).status == 415
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("hello.txt", "bonjour")
    error = refused(tmp_path, "archive.docx", not_word.getvalue())
    assert error.status == 415 and "word/document.xml" in error.message
    assert refused(tmp_path, "outil.exe", b"MZ\x90\x00").status == 415
    assert "non pris en charge" in refused(tmp_path, "sans-extension", b"texte").message


def test_text_files_must_be_text(tmp_path):
    error = refused(tmp_path, "page.html", b"<html><body>texte\x00cach\xe9</body></html>")
    assert error.status == 415 and "octets nuls" in error.message
    error = refused(tmp_path, "note.txt", "Achats publics éco-responsables".encode("cp1252"))
    assert error.status == 415 and "UTF-8" in error.message
    assert refused(tmp_path, "vide.md", b"").status == 422


def test_pdf_refusals_say_why(tmp_path):
    error = refused(tmp_path, "chiffre.pdf", encrypted_pdf_bytes())
    assert error.status == 422 and "mot de passe" in error.message
    whole = pdf_bytes()
    error = refused(tmp_path, "tronque.pdf", whole[: len(whole) // 3])
    assert error.status == 422 and ("corrompu" in error.message or "sans texte" in error.message)
    error = refused(tmp_path, "scan.pdf", blank_pdf_bytes())
    assert error.status == 422 and "scanné" in error.message


def test_docx_zip_bomb_and_path_entries(tmp_path):
    bomb = zip_bomb_docx()
    assert len(bomb) < 2 * MB  # small on the wire, 200 MB once inflated
    error = refused(tmp_path, "bombe.docx", bomb)
    assert error.status == 422 and "bombe de décompression" in error.message
    for entry in ("../../evil.txt", "/etc/cron.d/x", "word/../../x"):
        assert "chemin interne" in refused(tmp_path, "piege.docx", docx_with_entry(entry)).message
    assert refused(tmp_path, "casse.docx", b"PK\x03\x04" + b"\x00" * 200).status == 422


def test_size_limit(tmp_path):
    error = refused(tmp_path, "gros.txt", b"a" * 2048, max_bytes=1024)
    assert isinstance(error, UploadTooLarge) and error.status == 413 and "trop volumineux" in error.message


def test_file_names_never_become_paths(tmp_path):
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("/etc/cron.d/evil.md") == "evil.md"
    assert safe_filename("..\\..\\Windows\\system.ini.TXT") == "system-ini.txt"
    assert safe_filename("Note   d'équipe (v2).PDF") == "note-d-equipe-v2.pdf"
    assert safe_filename("..") == "document" and safe_filename("") == "document"
    assert safe_filename("a\x00b\n.md") == "ab.md"
    data_dir = tmp_path / "data"
    source = write(tmp_path, "x.md", b"# Titre\n\nTexte.\n")
    checked = check_upload(source, "../../../../tmp/x.md", MB)
    stored = store_upload(checked, data_dir, "note")
    assert stored == (uploads_dir(data_dir) / "note" / "x.md").resolve() and stored.is_file() and not source.exists()
    with pytest.raises(UploadRefused):
        store_upload(check_upload(write(tmp_path, "y.md", b"# T\n\nTexte.\n"), "y.md", MB), data_dir, "../evil")


async def _stream(parts: list[bytes]):
    for part in parts:
        yield part


def _multipart(fields: dict[str, str], filename: str, data: bytes, boundary: str = "limite-xyz") -> list[bytes]:
    body = b""
    for name, value in fields.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return [body[i:i + 65536] for i in range(0, len(body), 65536)]


def test_receive_multipart_streams_to_the_data_dir(tmp_path):
    content_type = "multipart/form-data; boundary=limite-xyz"
    received = asyncio.run(receive_multipart(content_type, _stream(_multipart(
        {"title": "Note d'été", "audience": "staff"}, "../../note.md", b"# Note\n\nTexte.\n")), tmp_path, MB))
    assert received.fields == {"title": "Note d'été", "audience": "staff"} and received.filename == "../../note.md"
    assert received.path.parent == temp_dir(tmp_path) and received.path.read_bytes() == b"# Note\n\nTexte.\n"
    received.discard()

    with pytest.raises(UploadTooLarge):  # stops reading past the limit: the partial file is removed
        asyncio.run(receive_multipart(content_type, _stream(_multipart({}, "gros.txt", b"a" * (3 * MB))),
                                      tmp_path, MB))
    assert list(temp_dir(tmp_path).iterdir()) == []
    with pytest.raises(UnsupportedUpload):
        asyncio.run(receive_multipart("application/json", _stream([b"{}"]), tmp_path, MB))
    with pytest.raises(UploadRefused, match="Aucun fichier"):
        asyncio.run(receive_multipart(content_type, _stream([b"--limite-xyz--\r\n"]), tmp_path, MB))
