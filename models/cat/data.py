"""Dataset loading and caching for the cat / non-cat model (training side only).

Data lives OUTSIDE the repo: extract the two tars from ../shared/datasets into /tmp/perch-data
(`tar xf cats-dogs-photos-128.tar -C /tmp/perch-data && tar xf cifar10-jpeg.tar -C /tmp/perch-data`).

Splits (never mixed):
* photos `train_set` (3,000 cats + 3,000 dogs): training.
* photos `validation_set` (1,000 + 1,000, minus dog.3082 which duplicates train dog.2027): model selection.
* photos `test_set` (1,000 + 1,000): held-out test, touched only by the final evaluation.
* CIFAR-10 (train + test folders, 32x32): extra training data only. cat = positive; dogs and a balanced
  sample of the other 8 classes = negatives.
"""

from __future__ import annotations

import csv
import os

import numpy as np

import preprocess

DATA_ROOT = os.environ.get("PERCH_DATA", "/tmp/perch-data")
CACHE_DIR = os.path.join(DATA_ROOT, "cache")
DUPLICATE_VAL = "dog/dog.3082.jpg"  # byte-identical to train dog/dog.2027.jpg (datasets README)
CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def photo_split(split: str) -> list[tuple[str, int]]:
    """Returns (path, label) for one original split of the photos; label 1 = cat, 0 = dog."""
    rows = []
    with open(os.path.join(DATA_ROOT, "SPLITS.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["original_split"] != split:
                continue
            if split == "validation_set" and row["file"] == DUPLICATE_VAL:
                continue
            rows.append((os.path.join(DATA_ROOT, row["file"]), 1 if row["class"] == "cat" else 0))
    rows.sort()
    return rows


def _cached(name: str, build):
    os.makedirs(CACHE_DIR, exist_ok=True)
    path = os.path.join(CACHE_DIR, name + ".npz")
    if os.path.exists(path):
        z = np.load(path)
        return z["x"], z["y"]
    x, y = build()
    np.savez(path, x=x, y=y)
    return x, y


def photos(split: str, size: int):
    """uint8 [n, size, size, 3] center-square box-resized photos (exactly the eval preprocessing) + labels."""

    def build():
        items = photo_split(split)
        x = np.stack([preprocess.resized_uint8(p, size) for p, _ in items])
        y = np.array([label for _, label in items], dtype=np.int64)
        return x, y

    return _cached(f"photos_{split}_{size}", build)


def cifar(seed: int = 0, dogs: int = 3000, others_per_class: int = 750):
    """uint8 [n, 32, 32, 3] CIFAR-10 images: all 6,000 cats (label 1) and sampled negatives (label 0).

    Negatives: `dogs` dog images (the hard negative) plus `others_per_class` from each of the other 8
    classes, sampled with a fixed seed from train + test folders.
    """

    def build():
        from PIL import Image

        rng = np.random.default_rng(seed)
        xs, ys = [], []
        for cls in CIFAR_CLASSES:
            files = []
            for part in ("train", "test"):
                d = os.path.join(DATA_ROOT, "cifar10", part, cls)
                files += [os.path.join(d, f) for f in sorted(os.listdir(d))]
            if cls == "cat":
                chosen = files
            else:
                k = dogs if cls == "dog" else others_per_class
                chosen = [files[i] for i in sorted(rng.choice(len(files), size=k, replace=False))]
            for p in chosen:
                with Image.open(p) as im:
                    xs.append(np.asarray(im.convert("RGB"), dtype=np.uint8))
                ys.append(1 if cls == "cat" else 0)
        return np.stack(xs), np.array(ys, dtype=np.int64)

    return _cached(f"cifar_{seed}_{dogs}_{others_per_class}", build)
