"""Draw the Teams app icons (color.png 192x192, outline.png 32x32) with the standard library only.

Run from anywhere: ``python manifests/teams/make_icons.py``. The icons are a
white "A" (for Ambassador); the colour icon puts it on the accent colour of
manifest.json, the outline icon is white on transparent as Teams requires.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x5A, 0xA6)
WHITE = (255, 255, 255)


def _png(width: int, height: int, pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _letter_a_coverage(x: float, y: float, size: int) -> float:
    """How much of the pixel at (x, y) the letter covers, 0..1 (anti-aliased strokes)."""
    s = size
    top, left, right = (0.5 * s, 0.2 * s), (0.24 * s, 0.8 * s), (0.76 * s, 0.8 * s)
    bar = ((0.35 * s, 0.58 * s), (0.65 * s, 0.58 * s))
    half = 0.065 * s
    d = min(
        _segment_distance(x, y, top, left),
        _segment_distance(x, y, top, right),
        _segment_distance(x, y, *bar),
    )
    return max(0.0, min(1.0, half - d + 0.5))


def color_icon(size: int = 192) -> bytes:
    rows = []
    for j in range(size):
        row = []
        for i in range(size):
            x, y = i + 0.5, j + 0.5
            fg = _letter_a_coverage(x, y, size)
            rgb = tuple(round(ACCENT[k] * (1 - fg) + WHITE[k] * fg) for k in range(3))
            # Opaque and square: Teams rounds the corners itself.
            row.append((*rgb, 255))
        rows.append(row)
    return _png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    rows = [
        [(*WHITE, round(255 * _letter_a_coverage(i + 0.5, j + 0.5, size))) for i in range(size)]
        for j in range(size)
    ]
    return _png(size, size, rows)


def main() -> None:
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    main()
