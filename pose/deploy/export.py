"""TFLite export: float32, float16 and full-integer int8 models, their metadata, and running them.

Every ``.tflite`` travels with a JSON of the same name holding what a runtime needs to feed it
and read it (input size and dtype, normalisation, output stride, heatmap size, output scale and
zero point, joints, skeleton, flip pairs, provenance). :class:`LiteModel` reads that JSON
whenever it runs a model, so no number is written twice.
"""

import dataclasses
import json
from pathlib import Path

import numpy as np

from pose.errors import PoseError
from pose.joints import FLIP_PAIRS, JOINT_NAMES, SKELETON_EDGES
from pose.timing import median_ms

VARIANTS = ("float32", "float16", "int8")
METADATA_VERSION = 1


def convert(model, variant, representative_images=None):
    """Convert a Keras model to TFLite bytes.

    Args:
        variant: ``float32``; ``float16`` (weights stored as float16); ``int8`` (weights and
            activations int8, uint8 input of raw RGB bytes and uint8 output).
        representative_images: (N, H, W, 3) uint8 crops calibrating int8 activation ranges.
    """
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if variant == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif variant == "int8":
        def representative():
            for image in representative_images:
                yield [image[None].astype(np.float32)]  # float32: float64 makes the converter fail

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    return converter.convert()


def metadata(model_bytes, variant, params, source):
    """The metadata dict of a converted model, read from the model itself where it can be."""
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=model_bytes)
    (input_details,), (output_details,) = interpreter.get_input_details(), interpreter.get_output_details()
    scale, zero_point = output_details["quantization"]
    _, height, width, _ = (int(v) for v in input_details["shape"])
    _, map_height, map_width, joints = (int(v) for v in output_details["shape"])
    return {
        "metadata_version": METADATA_VERSION,
        "variant": variant,
        "input": {"width": width, "height": height, "channels": 3, "dtype": np.dtype(input_details["dtype"]).name,
                  "normalisation": "none: RGB pixels 0..255 in, the model normalises inside"},
        "output": {"width": map_width, "height": map_height, "joints": joints,
                   "dtype": np.dtype(output_details["dtype"]).name,
                   "scale": float(scale) if scale else 1.0, "zero_point": int(zero_point),
                   "stride": params.geometry.output_stride,
                   "pixel_convention": "heatmap pixel j covers input pixels j*stride .. j*stride+stride-1"},
        "joint_names": list(JOINT_NAMES),
        "skeleton_edges": [list(edge) for edge in SKELETON_EDGES],
        "flip_pairs": [list(pair) for pair in FLIP_PAIRS],
        "decoder": params.evaluate.decoder,
        "person_finder": dataclasses.asdict(params.inference),
        "source": {"backbone": params.train.backbone, "loss": params.train.loss, "weights": params.train.weights,
                   "dataset": params.data.dataset, "seed": params.seed, "keras_model": source},
    }


class LiteModel:
    """A TFLite model run through LiteRT, fed and read as its metadata JSON says."""

    def __init__(self, path, threads=2):
        from ai_edge_litert.interpreter import Interpreter

        self.path = Path(path)
        metadata = self.path.with_suffix(".json")
        if not self.path.is_file():
            raise PoseError(f"{self.path} does not exist; pass a .tflite file the quantize stage wrote "
                            "(models/tflite/) or the app's deployed model.")
        if not metadata.is_file():
            raise PoseError(f"{metadata} is missing: the model's metadata (input size, decoder, joints) must lie "
                            f"beside {self.path.name} under the same name, as the quantize stage writes them.")
        self.metadata = json.loads(metadata.read_text())
        try:
            self.interpreter = Interpreter(model_path=str(self.path), num_threads=threads)
        except ValueError as error:  # LiteRT's words for a file that is not a flatbuffer model
            raise PoseError(f"{self.path} is not a TFLite model ({error}); pass a .tflite file.") from error
        self.interpreter.allocate_tensors()
        self.input_index = self.interpreter.get_input_details()[0]["index"]
        self.output_index = self.interpreter.get_output_details()[0]["index"]
        self.input_dtype = np.dtype(self.metadata["input"]["dtype"])

    def raw(self, image):
        """One (H, W, 3) RGB image -> the model's raw output (1, h, w, K) in its own dtype."""
        self.interpreter.set_tensor(self.input_index, np.asarray(image)[None].astype(self.input_dtype))
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self.output_index)

    def dequantize(self, raw):
        """The model's raw output (any shape, its own dtype) -> float32 heatmaps 0..1, with the JSON's scale and zero point."""
        output = self.metadata["output"]
        return (np.asarray(raw).astype(np.float32) - output["zero_point"]) * output["scale"]

    def __call__(self, images):
        """(B, H, W, 3) RGB 0..255 -> (B, h, w, K) float32 heatmaps."""
        return self.dequantize(np.concatenate([self.raw(np.clip(np.round(image), 0, 255)) for image in images]))


def check_pck_drop(report, variant, limit):
    """Raise :class:`PoseError` if ``variant`` lost more PCK@0.2 than ``limit`` against Keras."""
    from pose.errors import PoseError

    drop = report[f"{variant}_gtcrop_pck_drop_all"]
    if drop > limit:
        raise PoseError(
            f"the {variant} model loses {drop:.3f} PCK@0.2 against Keras, more than quantize.max_pck_drop = "
            f"{limit}; raise quantize.representative_count (calibration crops) or the limit."
        )


def latency_ms(model, image, runs=50, warmup=5):
    """Median milliseconds of one inference over ``runs`` after ``warmup`` runs."""
    return median_ms(lambda _: model.raw(image), runs, warmup)
