"""Peer comparison: MediaPipe Pose against our TFLite models, same persons, same metric, same run.

MediaPipe runs in its own virtual environment (its ``protobuf<5`` pin clashes with
TensorFlow's), as a subprocess: :func:`run_mediapipe` writes a request ``.npz`` (photo paths,
the region of each photo to give it), ``benchmarks/mediapipe_runner.py`` answers with a result
``.npz`` (33 landmarks per person in photo pixels, a detected flag, per-image milliseconds).
Everything that decides a number (the landmark mapping, coordinates, scoring) is here, in
plain numpy, and tested without MediaPipe installed.

Fairness, as measured and reported:

* Accuracy is PCK@0.2 (torso) on the 12 limb joints, :func:`pose.evaluation.scoring.score`'s
  ``limbs12`` group, in photo pixels, for every model on the same test persons. MediaPipe has
  no neck, head-top, pelvis or thorax, so only ``limbs12`` is compared.
* Our models get the dataset's person crop (from the annotated joints, as ``evaluate``).
  MediaPipe gets, as its primary input (``crop``), the same region of the photo at native
  resolution (:func:`native_region`): both solve the same single-person task on the same
  pixels. ``crop2x`` is the same centre with twice the side (its person detector wants
  context), and ``photo`` the whole photo, where its own detector finds the person; when it
  finds someone else, that person is scored against the annotated one.
* A person MediaPipe does not detect (no ``pose_landmarks``) counts as all joints wrong.
* Latency is per image on this CPU, the median over the timed images after a warm-up: for
  MediaPipe the wall time of ``Pose.process(image)`` (detector + landmark model + its own
  resizing); for ours the whole path from the decoded photo (affine crop to the model input,
  LiteRT invoke, heatmap decoding, back to photo pixels), and the invoke alone.

``reports/peers.json`` (stable keys; :func:`compare` writes it):

* ``ours_<float32|float16|int8>`` and ``mediapipe_full_<crop|crop2x|photo>``, each with
  ``pck@0.2_limbs12`` and ``pck@0.2_<joint>`` for the 12 limb joints (fractions 0..1, None where
  nothing counts), ``missed_persons``, ``persons``, ``size_bytes``, ``latency_ms_1_thread``,
  ``latency_ms_2_threads`` (median ms per image), ``input`` (words); ours add ``invoke_ms_1_thread``,
  ``invoke_ms_2_threads`` and ``sha256``; MediaPipe's add ``pck@0.2_limbs12_detected_only``.
* ``meta``: dataset, split, persons, decoder, the metric and latency definitions in words,
  machine (CPU, cores, platform, versions, load average), load averages between phases,
  MediaPipe's version and model files, its CPU affinity and cores kept busy per pass,
  ``mediapipe_network_attempts`` (must be 0) and ``wall_seconds``.
"""

import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from pose.data.crop import apply_affine, crop_image, invert_affine
from pose.deploy.export import VARIANTS
from pose.errors import PoseError
from pose.joints import JOINT_INDEX, NUM_JOINTS
from pose.timing import median_ms, threads_key

MEDIAPIPE_VERSION = "0.10.14"
MEDIAPIPE_LANDMARKS = 33
# MediaPipe Pose (BlazePose) landmark index of each MPII-16 limb joint. Both name joints from
# the person's own side (MediaPipe 11 "left_shoulder" is the person's left shoulder).
# MediaPipe has no pelvis, thorax, upper neck or head top: those stay NaN.
MEDIAPIPE_TO_MPII = {
    "r_ankle": 28, "r_knee": 26, "r_hip": 24, "l_hip": 23, "l_knee": 25, "l_ankle": 27,
    "r_wrist": 16, "r_elbow": 14, "r_shoulder": 12, "l_shoulder": 11, "l_elbow": 13, "l_wrist": 15,
}
# The model files ``Pose(model_complexity=1)`` loads, relative to the installed ``mediapipe`` package.
MEDIAPIPE_MODEL_FILES = ("modules/pose_detection/pose_detection.tflite",
                         "modules/pose_landmark/pose_landmark_full.tflite")
# MediaPipe's inputs, by name: region scale (photo region / our crop's region, same centre) or
# None for the whole photo. ``crop`` is the primary, like-for-like comparison. ``crop2x`` adds
# context: on the tight crop (person_size x 1.3, as our model's) MediaPipe's person detector
# misses over a quarter of the people (27 % of the test split); twice the side was picked from 1.0 / 1.5 / 2.0 / 3.0 on
# the first 60 test persons (1.5 and 2.0 within noise of each other), not tuned further.
INPUT_MODES = {"crop": 1.0, "crop2x": 2.0, "photo": None}
INPUT_DESCRIPTIONS = {
    "crop": "the crop region made from the labels, native resolution (the region our crop figures get)",
    "crop2x": "the same centre with twice the side, native resolution",
    "photo": "the whole photo (MediaPipe's detector finds the person)",
}
# Whole-photo protocols, for every model alike: the photo, and the photo in a 2x / 3x mosaic canvas
# (pose.evaluation.canvas); nothing taken from the labels.
WHOLE_PHOTO_MODES = {"photo": None, "zoom2x": 2, "zoom3x": 3}
WHOLE_PHOTO_DESCRIPTIONS = {
    "photo": "the whole photo (the person found with no labels)",
    "zoom2x": "the photo at a seeded place in a canvas 2x its size, mosaic of other photos' patches around it",
    "zoom3x": "the same in a canvas 3x its size",
}

REPO_ROOT = Path(__file__).resolve().parents[2]  # the project: benchmarks/ and the pose package
SETUP_HINT = ("run `make peers-setup` (python3 -m venv .venv-mediapipe && .venv-mediapipe/bin/pip install "
              "-r benchmarks/requirements-mediapipe.txt)")


def mediapipe_to_mpii(landmarks, detected):
    """MediaPipe's 33 landmarks -> MPII-16 keypoints; missed persons and joints MediaPipe lacks are NaN.

    Args:
        landmarks: (N, 33, 2) x, y in any pixel frame.
        detected: (N,) bool, False where MediaPipe returned no pose.
    Returns:
        (N, 16, 2) float64. NaN never lies within a PCK threshold, so a missed person's labeled
        joints count as wrong, not as absent.
    """
    landmarks = np.asarray(landmarks, dtype=np.float64)
    if landmarks.ndim != 3 or landmarks.shape[1:] != (MEDIAPIPE_LANDMARKS, 2):
        raise ValueError(f"landmarks must be (N, {MEDIAPIPE_LANDMARKS}, 2), got {landmarks.shape}")
    keypoints = np.full((len(landmarks), NUM_JOINTS, 2), np.nan)
    for name, landmark in MEDIAPIPE_TO_MPII.items():
        keypoints[:, JOINT_INDEX[name]] = landmarks[:, landmark]
    keypoints[~np.asarray(detected, bool)] = np.nan
    return keypoints


def native_region(crop_to_image, input_width, input_height, scale=1.0):
    """The photo region of each model-input crop, at native resolution (1 photo pixel per pixel).

    The crop's outer edges (crop pixels -0.5 .. size-0.5) are mapped to the photo; the region
    covers the same span (``scale`` times it, same centre), its origin rounded to a whole pixel
    so cutting it out copies pixels without resampling (parts outside the photo are black, as
    in the model's crops).

    Args:
        crop_to_image: (N, 2, 3) affine crop pixels -> photo pixels (axis-aligned scale + shift).
        scale: region side / crop side; 1 is the crop's own region.
    Returns:
        (photo_to_region (N, 2, 3) pure translations, size (N, 2) int width, height)
    """
    crop_to_image = np.asarray(crop_to_image, dtype=np.float64)
    half = scale * np.array([input_width, input_height]) / 2
    centre = (np.array([input_width, input_height]) - 1) / 2
    corners = apply_affine(np.stack([centre - half, centre + half]), crop_to_image)
    size = np.maximum(np.round(corners[:, 1] - corners[:, 0]), 1).astype(int)
    # Region pixel 0's centre lies half a pixel inside the region's edge.
    origin = np.round(corners[:, 0] + 0.5)
    photo_to_region = np.zeros((len(crop_to_image), 2, 3))
    photo_to_region[:, 0, 0] = photo_to_region[:, 1, 1] = 1.0
    photo_to_region[:, :, 2] = -origin
    return photo_to_region, size


def cut_region(photo, photo_to_region, size):
    """Cut one region (from :func:`native_region`) out of a photo (H, W, 3) uint8; outside is black."""
    return crop_image(photo, photo_to_region, int(size[0]), int(size[1]))


def normalized_to_photo(normalized, size, input_to_photo=None):
    """MediaPipe's normalised landmarks -> photo pixels.

    MediaPipe's x, y run from 0 at the input's left/top edge to 1 at its right/bottom edge;
    this project's pixel (0, 0) is the centre of the top-left pixel, so input pixels are
    ``x * width - 0.5``.

    Args:
        normalized: (..., P, 2) x, y in 0..1 of the image MediaPipe was given.
        size: (..., 2) that image's width, height in pixels.
        input_to_photo: (..., 2, 3) affine from that image's pixels to photo pixels; None: it was the photo.
    Returns:
        (..., P, 2) float64 photo pixels.
    """
    size = np.asarray(size, dtype=np.float64)
    pixels = np.asarray(normalized, dtype=np.float64) * size[..., None, :] - 0.5
    return pixels if input_to_photo is None else apply_affine(pixels, input_to_photo)


def limb_scores(predicted, arrays, dataset="lspet"):
    """PCK@0.2 (torso) on the 12 limb joints, overall and per joint, with the same function as ``evaluate``.

    Args:
        predicted: (N, 16, 2) photo pixels, NaN where a model gave nothing.
        arrays: the split's sample arrays (``keypoints``, ``labeled``, ``crop_to_image``).
    Returns:
        {"pck@0.2_limbs12": float, "pck@0.2_<joint>": float for the 12 limb joints}; None where
        no labeled joint counts.
    """
    from pose.evaluation.scoring import score

    with np.errstate(invalid="ignore"):
        metrics, _ = score(predicted, arrays, dataset)
    # score() leaves out a mean with nothing to count; here that is None, so every key stays.
    result = {"pck@0.2_limbs12": metrics.get(f"{dataset}_pck@0.2_limbs12")}
    for name in MEDIAPIPE_TO_MPII:
        result[f"pck@0.2_{name}"] = metrics.get(f"{dataset}_pck@0.2_{name}")
    return result


def subset(arrays, rows):
    """The sample arrays of the persons ``rows`` (index array or boolean mask)."""
    return {key: value[rows] for key, value in arrays.items()}


def mediapipe_python(path=None):
    """The MediaPipe venv's interpreter: ``path``, else ``$POSE_MEDIAPIPE_PYTHON``, else ``.venv-mediapipe``."""
    path = Path(path or os.environ.get("POSE_MEDIAPIPE_PYTHON") or ".venv-mediapipe/bin/python")
    if not path.exists():
        raise PoseError(f"{path} not found: MediaPipe runs in its own virtual environment; {SETUP_HINT}.")
    return path


def run_mediapipe(python, photos, regions, timed=None, warmup=5, one_core=False, runner=None):
    """Run MediaPipe Pose (complexity 1, static images) in its venv on every photo, in each input mode.

    Args:
        python: the MediaPipe venv's interpreter (:func:`mediapipe_python`).
        photos: (N,) absolute photo paths.
        regions: {mode: (photo_to_region (N, 2, 3), size (N, 2)) from :func:`native_region`, or
            None for the whole photo}, run in this order.
        timed: how many of the photos to run (all if None); every image run is timed.
        one_core: pin the MediaPipe process to one CPU core (its own thread count is not settable).
    Returns:
        ({mode: {"landmarks" (n, 33, 2) photo px, NaN if missed; "visibility" (n, 33);
        "detected" (n,) bool; "latency_ms" (n,)}}, runner meta dict)
    """
    runner = Path(runner or REPO_ROOT / "benchmarks" / "mediapipe_runner.py")
    count = len(photos) if timed is None else min(timed, len(photos))
    request = {"photos": np.asarray([str(p) for p in photos[:count]])}
    for mode, region in regions.items():
        if region is not None:
            request[f"{mode}_photo_to_input"] = np.asarray(region[0])[:count]
            request[f"{mode}_input_size"] = np.asarray(region[1])[:count]
    modes = list(regions)
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    # TensorFlow Lite and absl log to stderr; keep it, but it must not be mistaken for an error.
    preexec = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    with tempfile.TemporaryDirectory(prefix="mediapipe-") as folder:
        request_path, result_path = Path(folder) / "request.npz", Path(folder) / "result.npz"
        np.savez(request_path, **request)
        command = [str(python), str(runner), "--request", str(request_path), "--result", str(result_path),
                   "--modes", ",".join(modes), "--warmup", str(warmup)]
        done = subprocess.run(command, env=env, preexec_fn=preexec, capture_output=True, text=True)
        if done.returncode != 0:
            raise PoseError(f"the MediaPipe runner ({runner}) failed with exit code {done.returncode}: "
                            f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no message'}; "
                            f"check that {python} has mediapipe=={MEDIAPIPE_VERSION} ({SETUP_HINT}).")
        with np.load(result_path) as data:
            meta = json.loads(str(data["meta"]))
            results = {mode: {key: data[f"{mode}_{key}"] for key in ("landmarks", "visibility", "detected", "latency_ms")}
                       for mode in modes}
    return results, meta


def our_pipeline_ms(models, photos, crop_to_image, decoder, output_stride, warmup=5):
    """Per-image milliseconds of our whole path from a decoded photo to keypoints in photo pixels.

    Per image: the affine crop of the photo to the model input, LiteRT invoke, heatmap
    decoding and the map back to photo pixels (what MediaPipe's ``process`` also covers). The
    models take turns on each image, so a change in the machine's load hits all of them alike.

    Args:
        models: {name: :class:`pose.deploy.export.LiteModel`}. photos: list of (H, W, 3) uint8 RGB.
        crop_to_image: (N, 2, 3) as in the samples.
    Returns:
        ({name: (N,) ms of the whole path}, {name: (N,) ms of the LiteRT invoke alone})
    """
    from pose.evaluation.scoring import keypoints_in_photo

    image_to_crop = np.stack([invert_affine(a) for a in crop_to_image])

    def once(model, index):
        """Whole-path and invoke-only seconds for one image."""
        started = time.perf_counter()
        crop = crop_image(photos[index], image_to_crop[index], model.metadata["input"]["width"],
                          model.metadata["input"]["height"])
        invoked = time.perf_counter()
        raw = model.raw(crop)
        done = time.perf_counter()
        heatmaps = model.dequantize(raw)
        keypoints_in_photo(heatmaps, decoder, output_stride, crop_to_image[index:index + 1])
        return time.perf_counter() - started, done - invoked

    for model in models.values():
        for index in range(min(warmup, len(photos))):
            once(model, index)
    pipeline = {name: np.empty(len(photos)) for name in models}
    invoke = {name: np.empty(len(photos)) for name in models}
    for index in range(len(photos)):
        for name, model in models.items():
            whole, alone = once(model, index)
            pipeline[name][index], invoke[name][index] = whole * 1000, alone * 1000
    return pipeline, invoke


def machine_meta():
    """CPU count, platform, Python and library versions, load average: the context of every timing."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("tensorflow-cpu", "tensorflow", "keras", "ai-edge-litert", "numpy", "opencv-python-headless"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            pass
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(), "processor": cpu_model(),
            "python": sys.version.split()[0], "versions": versions,
            "load_average_1_5_15_min": [round(v, 2) for v in os.getloadavg()]}


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, or platform.processor() where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def compare(samples, raw, tflite_dir, python, decoder, output_stride, dataset="lspet", limit=None,
            one_core_images=None, variants=VARIANTS, modes=tuple(INPUT_MODES), block=50, log=print, seed=0,
            whole_photo_variants=("int8",)):
    """Score and time our TFLite models and MediaPipe Pose on the same test persons, in one run.

    Args:
        samples: the samples folder (``data/samples``); its ``test`` split is used.
        raw: the folder the samples' ``image`` paths are relative to (``data/raw``).
        tflite_dir: holds ``<variant>.tflite`` with its ``.json``.
        python: the MediaPipe venv's interpreter.
        limit: only the first ``limit`` persons (quick runs); None for all.
        block: images per block when our 1- and 2-thread timings alternate.
        one_core_images: persons timed again with MediaPipe pinned to one core (None: all; its
            time depends on whether it finds a person, so both columns should cover the same persons).
        seed: the canvases' seed (the pipeline's ``seed``: the same canvases as evaluate and quantize).
        whole_photo_variants: our variants also run on whole photos and canvases (find_person).
    Returns:
        The ``reports/peers.json`` dict (keys in this module's docstring).
    """
    import cv2

    from pose.data.samples import read_rgb, read_split
    from pose.deploy.export import LiteModel
    from pose.evaluation.canvas import ZoomedOutPhotos, shifted
    from pose.evaluation.scoring import keypoints_in_photo, predict_heatmaps, whole_photo_keypoints
    from pose.inference.person import find_person

    started = time.perf_counter()
    meta = {"machine": machine_meta()}
    test = read_split(samples, "test")
    if limit is not None:
        test = subset(test, np.arange(min(limit, len(test["images"]))))
    count = len(test["images"])
    photo_paths = [Path(raw).resolve() / name for name in test["image"]]
    missing = [p for p in photo_paths if not p.exists()]
    if missing:
        raise PoseError(f"{missing[0]} not found ({len(missing)} test photos missing); run `dvc repro download` "
                        f"or pass --raw the folder holding the samples' image paths.")
    input_width, input_height = test["images"].shape[2], test["images"].shape[1]
    report = {}

    # Ours: accuracy on the stored crops (as quantize), latency from the decoded photos.
    timed = {}
    for variant in variants:
        path = Path(tflite_dir) / f"{variant}.tflite"
        if not path.exists():
            raise PoseError(f"{path} not found; run `dvc repro quantize` first.")
        entry = {"input": f"the crop made from the labels, resized to {input_width}x{input_height}",
                 "size_bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        heatmaps = predict_heatmaps(LiteModel(path, threads=2), test["images"])
        predicted, _ = keypoints_in_photo(heatmaps, decoder, output_stride, test["crop_to_image"])
        entry.update(limb_scores(predicted, test, dataset))
        entry["missed_persons"], entry["persons"] = 0, count
        report[f"ours_{variant}_gtcrop"] = entry
        for threads in (1, 2):
            timed[variant, threads] = LiteModel(path, threads=threads)
    meta["load_average_before_timing"] = [round(v, 2) for v in os.getloadavg()]
    photos = [read_rgb(p) for p in photo_paths]
    # Blocks of images, alternating the thread count, so both see the same drift in the machine's
    # load; not image by image, because an idle 2-thread interpreter's spinning worker would slow
    # the 1-thread one right after it. Within a block the variants take turns on each image.
    times = {}
    for start in range(0, count, block):
        rows = np.arange(start, min(start + block, count))
        for threads in (1, 2):
            pipeline, invoke = our_pipeline_ms({variant: timed[variant, threads] for variant in variants},
                                               [photos[i] for i in rows], test["crop_to_image"][rows], decoder,
                                               output_stride, warmup=2)
            for variant in variants:
                times.setdefault((variant, threads, "latency_ms"), []).extend(pipeline[variant])
                times.setdefault((variant, threads, "invoke_ms"), []).extend(invoke[variant])
    for (variant, threads, name), values in times.items():
        report[f"ours_{variant}_gtcrop"][f"{name}_{threads_key(threads)}"] = float(np.median(values))
    for variant in variants:
        entry = report[f"ours_{variant}_gtcrop"]
        log(f"ours {variant}, crops from labels: PCK@0.2 limbs12 {entry['pck@0.2_limbs12']:.4f}, "
            f"{entry['latency_ms_1_thread']:.2f} / {entry['latency_ms_2_threads']:.2f} ms per image (1 / 2 threads)")

    # Ours on whole photos and canvases, through find_person as `pose predict`.
    by_name = dict(zip(test["image"].tolist(), photos))
    names = list(by_name)
    sources = {mode: by_name.__getitem__ if factor is None else ZoomedOutPhotos(by_name.__getitem__, names, factor, seed)
               for mode, factor in WHOLE_PHOTO_MODES.items()}
    scored = {mode: test if factor is None else shifted(test, sources[mode].offsets(test["image"]))
              for mode, factor in WHOLE_PHOTO_MODES.items()}
    for variant in whole_photo_variants:
        for mode, source in sources.items():
            predicted, found, _ = whole_photo_keypoints(timed[variant, 2], source, test["image"])
            entry = {"input": WHOLE_PHOTO_DESCRIPTIONS[mode], "size_bytes": report[f"ours_{variant}_gtcrop"]["size_bytes"],
                     "sha256": report[f"ours_{variant}_gtcrop"]["sha256"]}
            entry.update(limb_scores(predicted, scored[mode], dataset))
            entry["missed_persons"], entry["persons"] = int((~found).sum()), count
            for threads in (1, 2):
                model = timed[variant, threads]
                entry[f"latency_ms_{threads_key(threads)}"] = median_ms(
                    lambda index: find_person(model, source(names[index % len(names)])), len(names), warmup=3)
            report[f"ours_{variant}_{mode}"] = entry
            log(f"ours {variant}, {mode}: PCK@0.2 limbs12 {entry['pck@0.2_limbs12']:.4f}, missed "
                f"{entry['missed_persons']}/{count}, {entry['latency_ms_1_thread']:.2f} / "
                f"{entry['latency_ms_2_threads']:.2f} ms per image")
    del photos, timed

    # MediaPipe: every person in every mode on both cores, then again pinned to one core.
    regions = {mode: None if INPUT_MODES[mode] is None else
               native_region(test["crop_to_image"], input_width, input_height, INPUT_MODES[mode]) for mode in modes}
    meta["load_average_before_mediapipe"] = [round(v, 2) for v in os.getloadavg()]
    results, runner_meta = run_mediapipe(python, photo_paths, regions)
    pinned, pinned_meta = run_mediapipe(python, photo_paths, regions, timed=one_core_images, one_core=True)
    model_bytes = sum(runner_meta["model_files"].values())
    for mode in modes:
        result, detected = results[mode], results[mode]["detected"]
        predicted = mediapipe_to_mpii(result["landmarks"], detected)
        entry = {"input": INPUT_DESCRIPTIONS[mode], "size_bytes": model_bytes}
        entry.update(limb_scores(predicted, test, dataset))
        entry["pck@0.2_limbs12_detected_only"] = (
            limb_scores(predicted[detected], subset(test, detected), dataset)["pck@0.2_limbs12"]
            if detected.any() else None)
        entry["missed_persons"], entry["persons"] = int((~detected).sum()), count
        entry["latency_ms_1_thread"] = float(np.median(pinned[mode]["latency_ms"]))
        entry["latency_ms_2_threads"] = float(np.median(result["latency_ms"]))
        log(f"mediapipe {mode}: PCK@0.2 limbs12 {entry['pck@0.2_limbs12']:.4f}, missed {entry['missed_persons']}"
            f"/{count}, {entry['latency_ms_1_thread']:.1f} / {entry['latency_ms_2_threads']:.1f} ms per image")
        report[f"mediapipe_full_{mode}"] = entry

    # MediaPipe on the same canvases (written as lossless BMP files for its runner to read).
    network = runner_meta["network_attempts"] + pinned_meta["network_attempts"]
    for mode, factor in WHOLE_PHOTO_MODES.items():
        if factor is None:
            continue
        with tempfile.TemporaryDirectory(prefix=f"canvas-{mode}-") as folder:
            paths = []
            for index, name in enumerate(test["image"]):
                paths.append(Path(folder) / f"{index:05d}.bmp")
                cv2.imwrite(str(paths[-1]), cv2.cvtColor(sources[mode](name), cv2.COLOR_RGB2BGR))
            free, free_meta = run_mediapipe(python, paths, {"photo": None})
            one, one_meta = run_mediapipe(python, paths, {"photo": None}, timed=one_core_images, one_core=True)
        network += free_meta["network_attempts"] + one_meta["network_attempts"]
        result, detected = free["photo"], free["photo"]["detected"]
        entry = {"input": WHOLE_PHOTO_DESCRIPTIONS[mode], "size_bytes": model_bytes}
        entry.update(limb_scores(mediapipe_to_mpii(result["landmarks"], detected), scored[mode], dataset))
        entry["missed_persons"], entry["persons"] = int((~detected).sum()), count
        entry["latency_ms_1_thread"] = float(np.median(one["photo"]["latency_ms"]))
        entry["latency_ms_2_threads"] = float(np.median(result["latency_ms"]))
        log(f"mediapipe {mode}: PCK@0.2 limbs12 {entry['pck@0.2_limbs12']:.4f}, missed {entry['missed_persons']}"
            f"/{count}, {entry['latency_ms_1_thread']:.1f} / {entry['latency_ms_2_threads']:.1f} ms per image")
        report[f"mediapipe_full_{mode}"] = entry
    meta.update({
        "dataset": dataset, "split": "test", "persons": count, "decoder": decoder,
        "metric": "PCK@0.2 (torso: left shoulder to right hip) over the 12 limb joints, photo pixels; "
                  "a missed person counts as all joints wrong",
        "latency": "per image, median over the timed images after a warm-up. ours: affine crop from the decoded "
                   "photo + LiteRT invoke + decoding + back to photo pixels (invoke_ms_*: the invoke alone), "
                   "the variants taking turns on each image; MediaPipe: Pose.process(image). *_1_thread: ours with LiteRT num_threads=1, MediaPipe "
                   "pinned to one CPU core (its legacy API has no thread setting); *_2_threads: num_threads=2, "
                   "MediaPipe free on all cores",
        "latency_images": {"ours": count, "mediapipe_2_threads": count,
                           "mediapipe_1_thread": count if one_core_images is None else min(one_core_images, count)},
        "mediapipe": {key: runner_meta[key] for key in ("mediapipe_version", "solution", "model_files", "python",
                                                        "numpy_version")},
        "mediapipe_network_attempts": len(network),
        "mediapipe_cpu_affinity": {"1_thread": pinned_meta["cpu_affinity"], "2_threads": runner_meta["cpu_affinity"]},
        "mediapipe_cores_busy": {"1_thread": pinned_meta["cores_busy"], "2_threads": runner_meta["cores_busy"]},
        "load_average_after_1_5_15_min": [round(v, 2) for v in os.getloadavg()],
        "wall_seconds": round(time.perf_counter() - started, 1),
    })
    if network:
        raise PoseError(f"MediaPipe tried to reach the network ({network[0]}); the comparison must run offline "
                        f"with the model files inside the mediapipe=={MEDIAPIPE_VERSION} wheel.")
    report["meta"] = meta
    return report
