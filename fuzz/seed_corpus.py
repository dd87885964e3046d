#!/usr/bin/env python3
"""Writes the fuzz seed corpus: small shared models, their truncations and seeded bit flips."""
import pathlib
import random
import sys

models_dir, out_dir, max_len = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
out_dir.mkdir(parents=True, exist_ok=True)
rng = random.Random(0)
count = 0
for path in sorted(models_dir.glob("*/*.tflite")):
    data = path.read_bytes()
    if len(data) > max_len:
        continue
    variants = [data]
    variants += [data[: len(data) * k // 8] for k in range(1, 8)]
    for _ in range(8):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(flipped))
            flipped[i] ^= 1 << rng.randrange(8)
        variants.append(bytes(flipped))
    for i, variant in enumerate(variants):
        (out_dir / f"{path.stem}-{i:02d}").write_bytes(variant)
        count += 1
print(f"seed corpus: {count} files in {out_dir}")
