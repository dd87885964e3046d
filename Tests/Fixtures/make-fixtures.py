#!/usr/bin/env python3
"""Writes the small, hand-checkable images PerchCaptureTests reads (deterministic; re-run to regenerate)."""
import struct

def pgm(path, w, h, px):
    open(path, "wb").write(b"P5\n# fixture\n%d %d\n255\n" % (w, h) + bytes(px))

def ppm(path, w, h, px):
    open(path, "wb").write(b"P6\n%d %d\n255\n" % (w, h) + bytes(px))

def bmp(path, w, h, bits, rows_top_down, palette=None):
    row_bytes = ((w * bits + 31) // 32) * 4
    pal = b"".join(bytes([b, g, r, 0]) for (r, g, b) in palette) if palette else b""
    data = b""
    for row in reversed(rows_top_down):  # bottom-up
        data += bytes(row) + b"\0" * (row_bytes - len(row))
    offset = 14 + 40 + len(pal)
    header = b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, bits, 0, len(data), 2835, 2835, len(palette or []), 0)
    open(path, "wb").write(header + info + pal + data)

# 4x4 gray ramp 0..15 (times 10): the area test's known input
pgm("gray-4x4.pgm", 4, 4, [10 * i for i in range(16)])
# 3x2 RGB: red, green, blue / white, black, gray
rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]
ppm("rgb-3x2.ppm", 3, 2, rgb)
# the same image as a 24-bit BMP (BGR, bottom-up, rows padded to 4 bytes)
bgr_rows = [[rgb[(y * 3 + x) * 3 + 2 - c] for x in range(3) for c in range(3)] for y in range(2)]
bmp("rgb-3x2.bmp", 3, 2, 24, bgr_rows)
# 5x2 8-bit gray-palette BMP (identity palette), rows padded to 8 bytes
bmp("gray-5x2.bmp", 5, 2, 8, [[0, 50, 100, 150, 200], [255, 1, 2, 3, 4]], palette=[(i, i, i) for i in range(256)])
