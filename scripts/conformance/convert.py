"""Turns a `Spec` into full-integer int8 .tflite bytes with the TF converter (seeded, deterministic)."""

import zlib

import numpy as np
import tensorflow as tf

REPRESENTATIVE_SAMPLES = 100


def seed_of(name, purpose):
    """A stable 32-bit seed per model and purpose ("weights", "calibration", "cases")."""
    return zlib.crc32(f"{name}/{purpose}".encode())


def _calibration_samples(spec):
    rng = np.random.default_rng(seed_of(spec.name, "calibration"))
    samples = []
    for _ in range(REPRESENTATIVE_SAMPLES):
        sample = []
        for position, shape in enumerate(spec.shapes):
            sigma = spec.input_sigma[position] if position < len(spec.input_sigma) else 1.0
            x = (rng.standard_normal(shape) * sigma).astype(np.float32)
            sample.append(x)
        samples.append(sample)
    return samples


def convert(spec):
    """Converts `spec` to int8 TFLite bytes (TFLITE_BUILTINS_INT8; int8 or float32 model I/O as the spec says)."""
    tf.random.set_seed(seed_of(spec.name, "weights") & 0x7FFFFFFF)
    rng = np.random.default_rng(seed_of(spec.name, "weights"))
    signature = [tf.TensorSpec(shape, tf.float32, name=f"input_{i}") for i, shape in enumerate(spec.shapes)]

    @tf.function(input_signature=signature, autograph=False)
    def model(*inputs):
        return spec.body(rng, *inputs)

    concrete = model.get_concrete_function()  # traced exactly once: weights are drawn here
    module = tf.Module()
    module.model = model
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], module)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    samples = _calibration_samples(spec)
    converter.representative_dataset = lambda: iter(samples)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.float32 if spec.float_input else tf.int8
    converter.inference_output_type = tf.float32 if spec.float_output else tf.int8
    if spec.per_tensor:
        converter._experimental_disable_per_channel = True
    model_bytes = bytes(converter.convert())
    return spec.patch(model_bytes) if spec.patch else model_bytes
