"""Evaluates a cat model (float Keras and int8 TFLM) on the held-out photo test_set; updates metrics.json.

    python3 evaluate.py v1 [v2 ...]

The int8 numbers come from the TFLM Python interpreter (reference kernels) on inputs built exactly as
preprocess.py specifies, so `perch eval` must reproduce them bit for bit. The float numbers use the
Keras model kept in /tmp/perch-cat/<version>.keras by train.py (not committed).
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

import data
import preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.environ.get("PERCH_CAT_WORK", "/tmp/perch-cat")


def metrics(y: np.ndarray, pred: np.ndarray) -> dict:
    """Accuracy, balanced accuracy, precision, recall, F1 (positive = cat = 1) and the confusion matrix."""
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    tn = int(np.sum((pred == 0) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": int(len(y)),
        "accuracy": round((tp + tn) / len(y), 4),
        "balanced_accuracy": round(0.5 * (recall + tn / (tn + fp)), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall) if precision + recall else 0.0, 4),
        "confusion_matrix": {"rows": "true [non_cat, cat]", "cols": "predicted [non_cat, cat]",
                             "matrix": [[tn, fp], [fn, tp]]},
    }


def tflm_interpreter(tflite_path: str):
    """A TFLM interpreter (reference kernels) for a model file."""
    from tflite_micro.python.tflite_micro import runtime

    return runtime.Interpreter.from_file(tflite_path, arena_size=512 * 1024)


def run_int8(interp, x_int8: np.ndarray) -> np.ndarray:
    """Runs one [1, N, N, 3] int8 input through TFLM and returns the int8 output [2]."""
    interp.set_input(x_int8, 0)
    interp.invoke()
    return np.asarray(interp.get_output(0)).reshape(-1).astype(np.int8)


def int8_outputs(version: str, x_u8: np.ndarray) -> np.ndarray:
    """TFLM int8 outputs [n, 2] for resized uint8 images (quantized through the sidecar's table)."""
    with open(os.path.join(HERE, f"cat_{version}.json")) as f:
        spec = json.load(f)["input"]
    table = preprocess.quantization_table(spec["scale"], spec["zero_point"])
    interp = tflm_interpreter(os.path.join(HERE, f"cat_{version}.tflite"))
    return np.stack([run_int8(interp, table[img][None]) for img in x_u8])


def argmax_predictions(outs: np.ndarray) -> np.ndarray:
    """cat iff out[1] > out[0] (ties are non_cat)."""
    return (outs[:, 1].astype(np.int32) > outs[:, 0].astype(np.int32)).astype(np.int64)


def choose_threshold(scores: np.ndarray, y: np.ndarray, candidates) -> float:
    """The candidate t maximizing balanced accuracy of `scores >= t` (ties: the t nearest the median candidate)."""
    candidates = list(candidates)
    mid = candidates[len(candidates) // 2]
    best = max(candidates, key=lambda t: (
        0.5 * (np.mean(scores[y == 1] >= t) + np.mean(scores[y == 0] < t)), -abs(t - mid)))
    return best


def calibrate(version: str) -> dict:
    """Chooses the int8 decision threshold on output[cat] from the VALIDATION set and writes it to the sidecar."""
    path = os.path.join(HERE, f"cat_{version}.json")
    with open(path) as f:
        sidecar = json.load(f)
    vx, vy = data.photos("validation_set", sidecar["input"]["height"])
    outs = int8_outputs(version, vx)
    t = int(choose_threshold(outs[:, 1].astype(np.int32), vy, range(-128, 128)))
    sidecar["decision"] = (f"cat iff output[positive_index] >= decision_threshold_int8 (int8 softmax output; "
                           f"threshold chosen on the photos' validation_set for the best balanced accuracy)")
    sidecar["decision_threshold_int8"] = t
    sidecar["decision_threshold_probability"] = (t - sidecar["output"]["zero_point"]) * sidecar["output"]["scale"]
    with open(path, "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    return {"threshold_int8": t, "validation_balanced_accuracy_int8_at_threshold":
            round(0.5 * (np.mean(outs[vy == 1, 1] >= t) + np.mean(outs[vy == 0, 1] < t)), 4),
            "validation_balanced_accuracy_int8_argmax": metrics(vy, argmax_predictions(outs))["balanced_accuracy"]}


def float_predictions(version: str, x_u8: np.ndarray):
    """Float probabilities [n, 2] and predictions (cat iff p[1] > p[0]) from the Keras model."""
    import keras

    m = keras.models.load_model(os.path.join(WORK, f"{version}.keras"))
    probs = np.concatenate([m(preprocess.normalize(x_u8[i:i + 250]).astype(np.float32), training=False).numpy()
                            for i in range(0, len(x_u8), 250)])
    return probs, (probs[:, 1] > probs[:, 0]).astype(np.int64)


def evaluate_version(version: str) -> dict:
    """Float + int8 test metrics for one version, merged into metrics.json."""
    with open(os.path.join(HERE, f"cat_{version}.json")) as f:
        sidecar = json.load(f)
    size = sidecar["input"]["height"]
    cal = calibrate(version)
    with open(os.path.join(HERE, f"cat_{version}.json")) as f:
        sidecar = json.load(f)
    x, y = data.photos("test_set", size)
    probs, fpred = float_predictions(version, x)
    outs = int8_outputs(version, x)
    qpred_argmax = argmax_predictions(outs)
    qpred = (outs[:, 1].astype(np.int32) >= cal["threshold_int8"]).astype(np.int64)
    fpred_thr = (probs[:, 1] >= sidecar["decision_threshold_probability"]).astype(np.int64)
    with open(os.path.join(WORK, f"{version}.train.json")) as f:
        train_info = json.load(f)
    entry = {
        "model": sidecar["file"],
        "model_sha256": sidecar["sha256"],
        "model_bytes": os.path.getsize(os.path.join(HERE, sidecar["file"])),
        "test_set": "photos test_set: 1,000 cats + 1,000 dogs (held out; never used for training or selection)",
        "decision": sidecar["decision"],
        "decision_threshold_int8": cal["threshold_int8"],
        "calibration": cal,
        "int8_tflm": metrics(y, qpred),
        "float": metrics(y, fpred_thr),
        "int8_tflm_argmax": metrics(y, qpred_argmax),
        "float_argmax": metrics(y, fpred),
        "int8_float_prediction_agreement": round(float(np.mean(qpred == fpred_thr)), 4),
        "macs": sidecar["macs"],
        "params": sidecar["params"],
        "best_epoch": train_info["best_epoch"],
        "epochs": train_info["args"]["epochs"],
        "validation_balanced_accuracy_float": round(train_info["val_balanced_accuracy_float"], 4),
        "train_seconds": train_info["train_seconds"],
        "train_args": train_info["args"],
        "int8_oracle": "tflite-micro 0.dev20261023182759 Python interpreter (reference kernels)",
    }
    path = os.path.join(HERE, "metrics.json")
    allm = {}
    if os.path.exists(path):
        with open(path) as f:
            allm = json.load(f)
    allm[version] = entry
    with open(path, "w") as f:
        json.dump(allm, f, indent=2)
        f.write("\n")
    print(json.dumps({version: {"float": entry["float"], "int8_tflm": entry["int8_tflm"]}}, indent=1))
    return entry


if __name__ == "__main__":
    for v in sys.argv[1:]:
        evaluate_version(v)
