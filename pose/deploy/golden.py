"""Golden vectors: exact model inputs, raw outputs and Python's decoded keypoints, for the app's tests.

For each chosen test crop: ``<name>.input.bin`` (the uint8/float32 input tensor, HWC, as fed),
``<name>.output.bin`` (the raw output tensor, HWC, in the model's dtype) and ``<name>.json``
(shapes, dtypes, output scale and zero point, the decoder, keypoints in heatmap and in
model-input pixels, confidences). The Kotlin decoder must reproduce the keypoints from the
output file alone.

In the subfolder ``tracking/``: the person finder and tracker (:mod:`pose.inference.person`,
:mod:`pose.inference.smoothing`) recorded run by run on a short clip and on one photo: per frame
each model run's frame -> input affine and raw output, and the resulting person (keypoints in
frame pixels, confidences, score, found) with its one-euro-smoothed keypoints. The app's tracker
replays the raw outputs and must ask for the same crops and reach the same people.
"""

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np

from pose.codec.decode import decode
from pose.codec.heatmaps import heatmap_to_crop
from pose.inference import person
from pose.inference.smoothing import OneEuroFilter


def write_golden(model, images, names, folder):
    """Run ``model`` (a :class:`pose.deploy.export.LiteModel`) on ``images`` and write one golden set per image."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = model.metadata
    scale, zero_point = meta["output"]["scale"], meta["output"]["zero_point"]
    written = []
    for image, name in zip(images, names):
        model_input = np.asarray(image).astype(model.input_dtype)
        raw = model.raw(image)[0]
        heatmaps = model.dequantize(raw)
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


# --- Tracking sequences: the person finder and tracker of pose.inference.person, run by run ---

TRACKING_FOLDER = "tracking"  # subfolder of the golden folder: <name>.json, <name>.f<frame>.r<run>.bin
ONE_EURO = {"min_cutoff_hz": 1.0, "beta": 0.05, "derivative_cutoff_hz": 1.0}  # OneEuroFilter's defaults


class _RecordingModel:
    """A LiteModel-like model (``metadata``, ``raw``, ``dequantize``) that keeps the raw output of every call.

    Each call is run exactly as :meth:`pose.deploy.export.LiteModel.__call__` runs it; the frame ->
    input affine of each run comes from the finder itself (:attr:`pose.inference.person.Person.runs`).
    """

    def __init__(self, model):
        self.model, self.metadata = model, model.metadata
        self.raws = []  # raw output (h, w, K) in the model's dtype, per run

    def __call__(self, images):
        raws = [np.asarray(self.model.raw(np.clip(np.round(image), 0, 255))) for image in images]
        self.raws.extend(raw[0].copy() for raw in raws)
        return self.model.dequantize(np.concatenate(raws))


def _points(points):
    return np.asarray(points, np.float64).round(6).tolist()


def _frame_record(recorder, first_run, folder, name, index, frame, found_person, smoothed, time_s):
    outputs = recorder.raws[first_run:]
    if len(outputs) != len(found_person.runs):
        raise RuntimeError(f"{name} frame {index}: {len(outputs)} model runs but {len(found_person.runs)} crops recorded")
    runs = []
    for run, (affine, raw) in enumerate(zip(found_person.runs, outputs)):
        file_name = f"{name}.f{index:02d}.r{run}.bin"
        (folder / file_name).write_bytes(np.ascontiguousarray(raw).tobytes())
        mirrored = found_person.mirrored and run == len(outputs) - 1  # the mirrored twin of the run before
        runs.append({"affine": np.asarray(affine, np.float64).tolist(), "mirrored": mirrored, "output": file_name})
    if runs and not np.allclose(runs[-1]["affine"], found_person.crop, rtol=0, atol=1e-9):
        raise RuntimeError(f"{name} frame {index}: the last model run's crop is not the person's crop")
    return {
        "index": index, "time_s": time_s, "width": int(frame.shape[1]), "height": int(frame.shape[0]),
        "runs": runs,
        "keypoints": _points(found_person.keypoints),
        "confidence": np.asarray(found_person.confidence, np.float64).tolist(),  # float32 values, exactly
        "score": float(found_person.score), "found": bool(found_person.found),
        "crop": np.asarray(found_person.crop, np.float64).tolist(),
        "smoothed": None if smoothed is None else _points(smoothed),
    }


def _write_record(model, folder, name, kind, frames, fps):
    meta = model.metadata
    record = {
        "kind": kind, "name": name,
        "about": "frame -> model input affines (2x3), keypoints in frame pixels ((0, 0) the centre of the top-left "
                 "pixel); each run's raw output: HWC, row-major, the model's dtype; a mirrored run saw its crop "
                 "mirrored left to right",
        "metadata": meta,
        "person_finder": dataclasses.asdict(person.FinderSettings.from_metadata(meta)),
        "one_euro": dict(ONE_EURO), "fps": fps,
        "output_shape": [meta["output"]["height"], meta["output"]["width"], meta["output"]["joints"]],
        "output_dtype": meta["output"]["dtype"],
        "frames": frames,
    }
    (folder / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    return record


def write_tracking_golden(model, frames, folder, name="sequence", fps=30.0):
    """Track one person through ``frames`` as ``pose predict`` does for a video, recording every model run.

    Per frame :func:`pose.inference.person.track_person` (a crop around the previous frame's
    person, else a whole-frame search) and, while the person is found, the
    :class:`pose.inference.smoothing.OneEuroFilter` at the frame's time ``index / fps`` (reset when
    nobody is found), as :func:`pose.deploy.predict.predict_video` runs them.

    Args:
        model: a :class:`pose.deploy.export.LiteModel`, or anything with its ``metadata``,
            ``raw(image)`` and ``dequantize(raw)``.
        frames: RGB frames (H, W, 3) uint8, any size.
        folder: written into: ``<name>.json`` and one ``<name>.fFF.rR.bin`` per model run.
    Returns:
        the record written (a dict).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recorder, smoother = _RecordingModel(model), OneEuroFilter(**ONE_EURO)
    previous, records = None, []
    for index, frame in enumerate(frames):
        first_run, time_s = len(recorder.raws), index / fps
        previous = person.track_person(recorder, np.asarray(frame, np.uint8), previous)
        smoothed = None
        if previous.found:
            smoothed = smoother(previous.keypoints, previous.confidence, time_s)
        else:
            smoother.reset()
        records.append(_frame_record(recorder, first_run, folder, name, index, frame, previous, smoothed, time_s))
    return _write_record(model, folder, name, "track", records, fps)


def write_finding_golden(model, photo, folder, name="photo"):
    """Search one photo with :func:`pose.inference.person.find_person` (as ``pose predict`` does), recording every run.

    Same files as :func:`write_tracking_golden`, one frame, no smoothing.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recorder = _RecordingModel(model)
    found = person.find_person(recorder, np.asarray(photo, np.uint8))
    frame = _frame_record(recorder, 0, folder, name, 0, photo, found, None, 0.0)
    return _write_record(model, folder, name, "find", [frame], None)


def place(photo, frame_width, frame_height, zoom, left, top):
    """A black (frame_height, frame_width, 3) frame holding ``photo`` scaled by ``zoom``, top-left at (left, top)."""
    photo = np.asarray(photo, np.uint8)
    width, height = max(1, round(photo.shape[1] * zoom)), max(1, round(photo.shape[0] * zoom))
    scaled = cv2.resize(photo, (width, height), interpolation=cv2.INTER_AREA if zoom < 1 else cv2.INTER_LINEAR)
    frame = np.zeros((frame_height, frame_width, 3), np.uint8)
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + width, frame_width), min(top + height, frame_height)
    if x1 > x0 and y1 > y0:
        frame[y0:y1, x0:x1] = scaled[y0 - top:y1 - top, x0 - left:x1 - left]
    return frame


def tracking_frames(photo, moving=6, width=320, height=240):
    """A short clip from one person photo: ``moving`` frames of it drifting and growing, a blank frame, it again.

    The person is tracked while it moves, lost on the blank frame and searched for anew after it.
    """
    steps = np.linspace(0.0, 1.0, moving)
    frames = [place(photo, width, height, 0.9 + 0.25 * step, round(30 + 120 * step), round(35 + 20 * step))
              for step in steps]
    frames.append(np.zeros((height, width, 3), np.uint8))
    frames.append(place(photo, width, height, 1.0, 60, 40))
    return frames
