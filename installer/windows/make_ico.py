"""Write resources/icons/bwdc-tray.ico from the hicolor PNGs (Python's standard library only).

The .ico is the icon of Setup (installer/windows/bwdc-tray.iss, SetupIconFile) and of the
bundle's programs (installer/bwdc-tray.spec). It holds one image per size in SIZES. The 256 px
image is stored as PNG, as Windows has expected since Vista; the smaller ones as 32-bit DIBs
(BGRA bitmap + AND mask), the layout every resource compiler and icon reader handles, at the
cost of a few tens of kilobytes. Run it again after `resources/make_icons.py`:

    python installer/windows/make_ico.py
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
OUT = ROOT / "resources" / "icons" / "bwdc-tray.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM = 256  # sizes from here on are stored as PNG, below as DIB
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    out, pos = [], len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG chunk")
        out.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return out


def png_size(data: bytes) -> tuple[int, int]:
    kind, body = _chunks(data)[0]
    if kind != b"IHDR":
        raise ValueError("PNG without IHDR")
    width, height = struct.unpack(">II", body[:8])
    return width, height


def decode_rgba(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGBA rows top-down) of an 8-bit RGBA, non-interlaced PNG: the format
    resources/make_icons.py writes (Qt's ARGB32 pixmaps)."""
    chunks = _chunks(data)
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if (depth, colour, interlace) != (8, 6, 0):
        raise ValueError(f"expected 8-bit RGBA non-interlaced, got {depth=} {colour=} {interlace=}")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride, bpp = width * 4, 4
    rows: list[bytearray] = []
    prev = bytearray(stride)
    pos = 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = prev[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
            elif kind != 0:
                raise ValueError(f"bad PNG filter type {kind}")
        rows.append(line)
        prev = line
    return width, height, b"".join(rows)


def dib(png: bytes) -> bytes:
    """A 32-bit icon DIB: BITMAPINFOHEADER (height doubled: XOR + AND), BGRA rows bottom-up,
    then a 1-bit AND mask (set where fully transparent, for readers that ignore alpha)."""
    width, height, rgba = decode_rgba(png)
    xor = bytearray()
    mask_stride = ((width + 31) // 32) * 4
    mask = bytearray()
    for y in reversed(range(height)):
        row = rgba[y * width * 4 : (y + 1) * width * 4]
        bits = bytearray(mask_stride)
        for x in range(width):
            r, g, b, a = row[x * 4 : x * 4 + 4]
            xor += bytes((b, g, r, a))
            if a == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    header = struct.pack(
        "<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, len(xor) + len(mask), 0, 0, 0, 0
    )
    return header + bytes(xor) + bytes(mask)


def build_ico(images: dict[int, bytes]) -> bytes:
    """An ICO file from {size: PNG bytes}: sizes >= PNG_FROM stay PNG, smaller become DIBs."""
    sizes = sorted(images)
    blobs = [images[s] if s >= PNG_FROM else dib(images[s]) for s in sizes]
    offset = 6 + 16 * len(sizes)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    entries = b""
    for size, blob in zip(sizes, blobs, strict=True):
        if png_size(images[size]) != (size, size):
            raise ValueError(f"the {size} px PNG is {png_size(images[size])}")
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return head + entries + b"".join(blobs)


def main(out: Path = OUT) -> int:
    images = {s: (HICOLOR / f"{s}x{s}" / "apps" / "bwdc-tray.png").read_bytes() for s in SIZES}
    data = build_ico(images)
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes, sizes {', '.join(map(str, SIZES))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
