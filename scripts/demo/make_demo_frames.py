#!/usr/bin/env python3
"""Regenerates models/cat/demo-frames/ from scikit-image's bundled sample images (CC0 / public domain).

Usage: pip download --no-deps scikit-image==0.26.0 -d /tmp/sk && python3 scripts/demo/make_demo_frames.py /tmp/sk/scikit_image-*.whl
Needs Pillow. The wheel is only read (zip), never installed.
"""
import io
import sys
import zipfile
from pathlib import Path

from PIL import Image, ImageEnhance, ImageOps

OUT = Path(__file__).resolve().parents[2] / "models" / "cat" / "demo-frames"


def load(wheel: zipfile.ZipFile, name: str) -> Image.Image:
    return Image.open(io.BytesIO(wheel.read(f"skimage/data/{name}"))).convert("RGB")


def save(image: Image.Image, name: str) -> None:
    image = image.copy()
    image.thumbnail((480, 360))
    image.save(OUT / f"{name}.jpg", quality=85)


def main() -> None:
    wheel = zipfile.ZipFile(sys.argv[1])
    OUT.mkdir(parents=True, exist_ok=True)
    chelsea = load(wheel, "chelsea.png")
    # Cats first, then the rest: at the demo's 2 frames/s the cat stays in view long enough for an event.
    frames = [
        ("cat-chelsea", chelsea),
        ("cat-chelsea-close", chelsea.crop((60, 0, 360, 300))),
        ("cat-chelsea-mirrored", ImageOps.mirror(chelsea)),
        ("cat-chelsea-dusk", ImageEnhance.Brightness(chelsea).enhance(0.6)),
        ("nocat-coffee", load(wheel, "coffee.png")),
        ("nocat-rocket", load(wheel, "rocket.jpg")),
        ("nocat-camera", load(wheel, "camera.png")),
        ("nocat-clock", load(wheel, "clock_motion.png")),
    ]
    for index, (name, image) in enumerate(frames, start=1):
        save(image, f"{index:02d}-{name}")


if __name__ == "__main__":
    main()
