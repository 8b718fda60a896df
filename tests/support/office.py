"""Render a Word file as LibreOffice does: PDF, then page 1 as a PNG, both kept in test-artifacts/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def render_page_one(data: bytes, name: str, home: Path) -> tuple[Path, Path | None]:
    """Write `name`.docx, convert it to PDF and page 1 to PNG; returns (pdf, png or None without pdftoppm).

    Skips the test when LibreOffice is missing (`make test` installs it when it can).
    """
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        pytest.skip("LibreOffice absent : rendu PDF/PNG non vérifié (apt-get install libreoffice-writer-nogui)")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.docx"
    source.write_bytes(data)
    # A fresh LibreOffice profile (HOME), so that a running instance or an old profile cannot interfere.
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(ARTIFACTS), str(source)],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(home)})
    pdf = ARTIFACTS / f"{name}.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000
    if not shutil.which("pdftoppm"):
        return pdf, None
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / f"{name}-page1")],
                   check=True, timeout=60)
    pngs = sorted(ARTIFACTS.glob(f"{name}-page1*.png"))
    assert pngs
    return pdf, pngs[0]
