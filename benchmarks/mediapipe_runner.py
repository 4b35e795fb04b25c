"""Run MediaPipe Pose on LSPET photos: executed by the MediaPipe venv's Python, not the project's.

``pose.reports.peers.run_mediapipe`` (the project's Python) starts it as a subprocess with
``PYTHONPATH`` at the repository root; it needs only numpy, OpenCV and mediapipe==0.10.14 from
``benchmarks/requirements-mediapipe.txt`` plus the numpy-only parts of ``pose``.

Request ``.npz``: ``photos`` (N,) paths; for each mode that cuts a region out of the photo,
``<mode>_photo_to_input`` (N, 2, 3) and ``<mode>_input_size`` (N, 2) from
``pose.reports.peers.native_region`` (a mode without them gets the whole photo). Result ``.npz``, per mode:
``<mode>_landmarks`` (N, 33, 2) photo pixels (NaN where no person was found),
``<mode>_visibility`` (N, 33), ``<mode>_detected`` (N,) bool, ``<mode>_latency_ms`` (N,)
wall time of ``Pose.process`` per image; and ``meta`` (JSON text).

Offline by construction: the legacy ``Pose(model_complexity=1)`` loads
``pose_detection.tflite`` and ``pose_landmark_full.tflite`` from the wheel (complexities 0 and
2 download theirs at run time). The network is blocked in this process, and any attempt is
counted in ``meta["network_attempts"]`` and fails loudly.

    .venv-mediapipe/bin/python benchmarks/mediapipe_runner.py --request R.npz --result O.npz --modes crop,photo
"""

import argparse
import json
import os
import socket
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from pose.data.crop import invert_affine
from pose.reports.peers import MEDIAPIPE_LANDMARKS, MEDIAPIPE_MODEL_FILES, MEDIAPIPE_VERSION, cut_region, normalized_to_photo

NETWORK_ATTEMPTS = []


def block_network():
    """Make every outgoing connection of this process fail, and record it: the comparison must run offline."""

    def refuse(*args, **kwargs):
        NETWORK_ATTEMPTS.append(repr(args[1:] if args and isinstance(args[0], socket.socket) else args)[:200])
        raise OSError("network blocked by benchmarks/mediapipe_runner.py: the MediaPipe comparison must run offline")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse


def read_rgb(path):
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"error: {path} could not be decoded; re-run `dvc repro download` to restore data/raw.")
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


def run_mode(pose, photos, mode, request, warmup):
    """Landmarks (N, 33, 2) photo px, visibility (N, 33), detected (N,), milliseconds (N,) for one input mode."""
    count = len(photos)
    landmarks = np.full((count, MEDIAPIPE_LANDMARKS, 2), np.nan)
    visibility = np.zeros((count, MEDIAPIPE_LANDMARKS))
    detected = np.zeros(count, bool)
    latency = np.zeros(count)
    for index, path in enumerate(photos):
        photo = read_rgb(path)
        if f"{mode}_photo_to_input" in request:
            photo_to_input = request[f"{mode}_photo_to_input"][index]
            size = request[f"{mode}_input_size"][index]
            image, input_to_photo = cut_region(photo, photo_to_input, size), invert_affine(photo_to_input)
        else:
            image, input_to_photo = photo, None
        image = np.ascontiguousarray(image)
        if index == 0:
            for _ in range(warmup):  # graph start-up, XNNPACK weight packing, thread pools
                pose.process(image)
        started = time.perf_counter()
        result = pose.process(image)
        latency[index] = (time.perf_counter() - started) * 1000
        if result.pose_landmarks is None:
            continue
        points = result.pose_landmarks.landmark
        normalized = np.array([[p.x, p.y] for p in points])
        visibility[index] = [p.visibility for p in points]
        landmarks[index] = normalized_to_photo(normalized, (image.shape[1], image.shape[0]), input_to_photo)
        detected[index] = True
    return landmarks, visibility, detected, latency


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--request", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--modes", default="crop,photo", help="comma-separated mode names, run in this order")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs on the first image of each mode")
    args = parser.parse_args()

    block_network()
    import mediapipe as mp

    if mp.__version__ != MEDIAPIPE_VERSION:
        raise SystemExit(f"error: {sys.executable} has mediapipe {mp.__version__}, the comparison pins "
                         f"{MEDIAPIPE_VERSION}; reinstall from benchmarks/requirements-mediapipe.txt.")
    package = Path(mp.__file__).parent
    missing = [name for name in MEDIAPIPE_MODEL_FILES if not (package / name).exists()]
    if missing:
        raise SystemExit(f"error: {package} lacks {', '.join(missing)}; reinstall mediapipe=={MEDIAPIPE_VERSION}.")

    with np.load(args.request) as data:
        request = {key: data[key] for key in data.files}
    photos = [str(p) for p in request["photos"]]
    modes = [m for m in args.modes.split(",") if m]
    result = {}
    started, cpu_started = time.perf_counter(), os.times()
    with mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1) as pose:
        for mode in modes:
            arrays = run_mode(pose, photos, mode, request, args.warmup)
            for key, value in zip(("landmarks", "visibility", "detected", "latency_ms"), arrays):
                result[f"{mode}_{key}"] = value
    meta = {
        "mediapipe_version": mp.__version__,
        "numpy_version": np.__version__,
        "python": sys.version.split()[0],
        "solution": "mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1)",
        "model_files": {name: (package / name).stat().st_size for name in MEDIAPIPE_MODEL_FILES},
        "cpu_affinity": sorted(os.sched_getaffinity(0)),
        "network_attempts": NETWORK_ATTEMPTS,
        "seconds": round(time.perf_counter() - started, 1),
        # CPU seconds / wall seconds of the whole run: how many cores MediaPipe actually kept busy
        "cores_busy": round((os.times().user + os.times().system - cpu_started.user - cpu_started.system)
                            / max(time.perf_counter() - started, 1e-9), 2),
    }
    np.savez(args.result, meta=np.asarray(json.dumps(meta)), **result)


if __name__ == "__main__":
    main()
