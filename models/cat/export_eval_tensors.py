"""Writes bit-exact preprocessing + inference samples for the Swift side into eval-samples/.

    python3 export_eval_tensors.py v1 v2

For 8 held-out test photos (from ../shared/datasets/cats-dogs-photos-128.tar, extracted to
/tmp/perch-data; the photos themselves are NOT written here) this writes:

* `eval-samples/manifest.json`: per photo the dataset path and JPEG SHA-256, the decoded size and
  SHA-256 of the decoded RGB bytes, the center-crop rectangle, the SHA-256 of the box-resized RGB
  bytes, and per model version the int8 tensor file, its scale / zero point, the TFLM output and the
  predicted label. Comparing hashes stage by stage tells whether a mismatch is in decoding, resizing
  or quantization.
* `eval-samples/<photo>.<version>.int8`: the raw int8 NHWC input tensor (N*N*3 bytes). A version whose
  input quantization equals an earlier one's reuses that file (the manifest names it).
* `eval-samples/cat_<version>.vectors.json`: the first cat and first dog of those samples (inputs and
  TFLM outputs) in the golden-vector format of ../shared/models/README.md, for
  `perch verify models/cat/cat_<version>.tflite ...` and as the golden vectors of an OTA model package.
  Only 2 cases, to keep the file near 110 KB.

The TFLM outputs come from a fresh TFLM Python interpreter (reference kernels) for every case.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

import numpy as np

import data
import evaluate
import preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "eval-samples")


def sha256(b: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(b).hexdigest()


def pick_samples() -> list[tuple[str, int]]:
    """8 test photos: 3 cats and 3 dogs in file order, plus the smallest (upscaled) and the most elongated."""
    items = data.photo_split("test_set")
    cats = sorted([it for it in items if it[1] == 1], key=lambda it: int(it[0].split(".")[-2]))[:3]
    dogs = sorted([it for it in items if it[1] == 0], key=lambda it: int(it[0].split(".")[-2]))[:3]
    chosen = cats + dogs
    sizes = {}
    for path, label in items:
        h, w = preprocess.decode_rgb(path).shape[:2]
        sizes[path] = (w, h)
    rest = [it for it in items if it not in chosen]
    smallest = min(rest, key=lambda it: (min(sizes[it[0]]), it[0]))
    chosen.append(smallest)
    rest.remove(smallest)
    # Most elongated with an odd crop offset, so floor((W - S) / 2) is exercised.
    odd = [it for it in rest if (max(sizes[it[0]]) - min(sizes[it[0]])) % 2 == 1]
    chosen.append(max(odd, key=lambda it: (max(sizes[it[0]]) / min(sizes[it[0]]), it[0])))
    return chosen


def main(versions: list[str]) -> None:
    from tflite_micro.python.tflite_micro import runtime  # noqa: F401  (fail early if missing)
    import tensorflow as tf

    os.makedirs(OUT, exist_ok=True)
    specs, details = {}, {}
    for v in versions:
        with open(os.path.join(HERE, f"cat_{v}.json")) as f:
            specs[v] = json.load(f)
        interp = tf.lite.Interpreter(model_path=os.path.join(HERE, f"cat_{v}.tflite"))
        details[v] = (interp.get_input_details()[0], interp.get_output_details()[0])

    manifest = {
        "note": "Bit-exact preprocessing and inference samples; algorithm in models/cat/preprocess.py and README.md.",
        "dataset": "cats-dogs-photos-128.tar from ../shared/datasets (photos not copied here); paths are inside it",
        "oracle": "tflite-micro 0.dev20261023182759 Python interpreter, reference kernels, fresh per case",
        "samples": [],
    }
    vectors = {v: [] for v in versions}
    for path, label in pick_samples():
        rel = os.path.relpath(path, data.DATA_ROOT)
        stem = os.path.splitext(os.path.basename(path))[0]
        with open(path, "rb") as f:
            jpeg = f.read()
        rgb = preprocess.decode_rgb(path)
        h, w = rgb.shape[:2]
        s = min(h, w)
        resized = preprocess.resize_box_int(preprocess.center_square(rgb), specs[versions[0]]["input"]["height"])
        sample = {
            "name": stem, "file": rel, "label": "cat" if label == 1 else "non_cat",
            "jpeg_sha256": sha256(jpeg),
            "decoded": {"width": w, "height": h, "rgb_sha256": sha256(rgb.tobytes())},
            "crop": {"left": (w - s) // 2, "top": (h - s) // 2, "side": s},
            "resized": {"size": resized.shape[0], "rgb_sha256": sha256(resized.tobytes())},
            "models": {},
        }
        written = {}
        for v in versions:
            spec = specs[v]["input"]
            assert spec["height"] == resized.shape[0], "all versions must share the input size"
            key = (spec["scale"], spec["zero_point"])
            tensor = preprocess.quantization_table(*key)[resized][None]
            if key not in written:
                written[key] = f"{stem}.{v}.int8"
                with open(os.path.join(OUT, written[key]), "wb") as f:
                    f.write(tensor.tobytes())
            interp = evaluate.tflm_interpreter(os.path.join(HERE, f"cat_{v}.tflite"))
            out = evaluate.run_int8(interp, tensor)
            sample["models"][v] = {
                "input_file": written[key], "input_sha256": sha256(tensor.tobytes()),
                "scale": spec["scale"], "zero_point": spec["zero_point"],
                "tflm_output": [int(o) for o in out],
                "prediction": "cat" if int(out[1]) >= specs[v]["decision_threshold_int8"] else "non_cat",
            }
            ind, outd = details[v]
            vectors[v].append({
                "name": f"{stem}_{sample['label']}",
                "note": f"{rel} -> preprocess.py (center square, box resize, LUT)",
                "inputs": [{"index": int(ind["index"]), "position": 0, "shape": [int(d) for d in ind["shape"]],
                            "dtype": "int8", "scale": float(ind["quantization"][0]),
                            "zero_point": int(ind["quantization"][1]), "data": [int(t) for t in tensor.reshape(-1)]}],
                "outputs": [{"index": int(outd["index"]), "position": 0, "shape": [int(d) for d in outd["shape"]],
                             "dtype": "int8", "scale": float(outd["quantization"][0]),
                             "zero_point": int(outd["quantization"][1]), "data": [int(o) for o in out]}],
            })
        manifest["samples"].append(sample)
        print(stem, {v: sample["models"][v]["tflm_output"] for v in versions}, flush=True)

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    for v in versions:
        with open(os.path.join(HERE, specs[v]["file"]), "rb") as f:
            model_sha = sha256(f.read())
        doc = {"model": specs[v]["file"], "model_sha256": model_sha,
               "oracle": "tflite-micro 0.dev20261023182759 reference kernels",
               "note": "held-out test photos through models/cat/preprocess.py",
               "cases": [vectors[v][0], vectors[v][3]]}  # cat.4001, dog.4001
        # Pretty-printed, each data array on one line (as in ../shared/models).
        text = json.dumps(doc, indent=2)
        text = _collapse_data_arrays(text)
        with open(os.path.join(OUT, f"cat_{v}.vectors.json"), "w") as f:
            f.write(text + "\n")


def _collapse_data_arrays(text: str) -> str:
    """Puts every `"data": [...]` and `"shape": [...]` array on one line."""
    import re

    def squash(m):
        return m.group(1) + "[" + ", ".join(x.strip() for x in m.group(2).split(",")) + "]"

    return re.sub(r'("(?:data|shape)": )\[([^\[\]]*)\]', lambda m: squash(m).replace("\n", ""), text)


if __name__ == "__main__":
    main(sys.argv[1:] or ["v1", "v2"])
