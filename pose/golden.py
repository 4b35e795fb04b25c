"""Golden vectors: exact model inputs, raw outputs and Python's decoded keypoints, for the app's tests.

For each chosen test crop: ``<name>.input.bin`` (the uint8/float32 input tensor, HWC, as fed),
``<name>.output.bin`` (the raw output tensor, HWC, in the model's dtype) and ``<name>.json``
(shapes, dtypes, output scale and zero point, the decoder, keypoints in heatmap and in
model-input pixels, confidences). The Kotlin decoder must reproduce the keypoints from the
output file alone.
"""

import json
from pathlib import Path

import numpy as np

from pose.decode import decode
from pose.heatmaps import heatmap_to_crop


def write_golden(model, images, names, folder):
    """Run ``model`` (a :class:`pose.export.LiteModel`) on ``images`` and write one golden set per image."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = model.metadata
    scale, zero_point = meta["output"]["scale"], meta["output"]["zero_point"]
    written = []
    for image, name in zip(images, names):
        model_input = np.asarray(image).astype(model.input_dtype)
        raw = model.raw(image)[0]
        heatmaps = (raw.astype(np.float32) - zero_point) * scale
        keypoints, confidence = decode(heatmaps[None], meta["decoder"])
        stem = Path(name).stem
        (folder / f"{stem}.input.bin").write_bytes(np.ascontiguousarray(model_input).tobytes())
        (folder / f"{stem}.output.bin").write_bytes(np.ascontiguousarray(raw).tobytes())
        record = {
            "image": name,
            "input_shape": list(model_input.shape), "input_dtype": model_input.dtype.name,
            "output_shape": list(raw.shape), "output_dtype": raw.dtype.name,
            "output_scale": scale, "output_zero_point": zero_point,
            "layout": "HWC, row-major",
            "decoder": meta["decoder"],
            "keypoints_heatmap": keypoints[0].round(6).tolist(),
            "keypoints_input": heatmap_to_crop(keypoints[0], meta["output"]["stride"]).round(6).tolist(),
            "confidence": confidence[0].round(6).tolist(),
        }
        (folder / f"{stem}.json").write_text(json.dumps(record, indent=1) + "\n")
        written.append(stem)
    return written
