"""The report as files to send: one self-contained HTML page and a zip of all its files."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import tempfile
import zipfile
from pathlib import Path

_CHART = re.compile(r"(<img src=')([^'/]+\.png)(')")


_CSV = re.compile(r"(<a href=')([^'/]+\.csv)(')")


def share_files(folder: Path, name: str) -> tuple[Path, Path]:
    """``share/NAME.html`` (charts and CSV files inside, readable on its own) and ``share/NAME.zip``.

    Made once per report folder and reused for every recipient of it.
    """
    source = folder / "report.html"
    out = folder / "share"
    out.mkdir(exist_ok=True)
    page, bundle = out / f"{name}.html", out / f"{name}.zip"
    made = source.stat().st_mtime
    if not page.exists() or page.stat().st_mtime < made:
        _write_atomically(page, lambda f: f.write(standalone_html(folder).encode("utf-8")))
    if not bundle.exists() or bundle.stat().st_mtime < made:
        parts = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".html", ".png", ".csv"))

        def write_zip(f) -> None:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for part in parts:
                    z.write(part, f"{name}/{part.name}")

        _write_atomically(bundle, write_zip)
    return page, bundle


def standalone_html(folder: Path) -> str:
    """report.html with its charts and CSV files inside, so that it needs no folder beside it."""
    text = (folder / "report.html").read_text(encoding="utf-8")

    def inline(kind: str):
        def sub(m: re.Match[str]) -> str:
            path = folder / m[2]
            if not path.is_file():
                return m[0]
            data = base64.b64encode(path.read_bytes()).decode()
            extra = f" download='{m[2]}'" if kind == "text/csv" else ""
            return f"{m[1]}data:{kind};base64,{data}{m[3]}{extra}"
        return sub

    text = _CHART.sub(inline("image/png"), text)
    return _CSV.sub(inline("text/csv"), text)


def _write_atomically(path: Path, write) -> None:
    # Two replicas (or two recipients) may make the same file: each writes its own and renames.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
