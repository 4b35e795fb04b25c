"""Pipeline cost benchmarks as importable functions; ``benchmarks/*.py`` are thin command lines over them.

Every timing is wall-clock on this machine. Where two ways of doing one job are compared
(blur vs analytic targets, the input pipeline vs the model, decoders, TFLite variants), both
are measured in the same process one after the other and the ratio is reported beside the
absolute times: ratios survive a busy machine better than absolute figures do.

``reports/bench.json`` (:func:`run_all`), one section per measurement, stable keys:

* ``heatmap_targets``: ``analytic_ms_per_sample``, ``blur_ms_per_sample``,
  ``blur_over_analytic_time_ratio``, ``read_stored_float16_ms_per_sample``,
  ``stored_targets_train_split_mb``, ``heatmap_size``, ``sigma``;
* ``input_and_training``: ``pipeline_images_per_second``,
  ``model_only_{frozen,fine_tune}_images_per_second``,
  ``pipeline_fed_{frozen,fine_tune}_images_per_second``,
  ``pipeline_over_model_{frozen,fine_tune}_ratio``, ``batch_size``, ``input_size``, ``cpu_cores``;
* ``decode``: ``<decoder>_ms_per_image``, ``<decoder>_over_argmax_time_ratio``, ``images``, ``heatmap_shape``;
* ``photo_read``: ``jpeg_decode_ms_per_photo``, ``crop_ms_per_person``, ``photos``;
* ``tflite``: ``<variant>_latency_ms_{1_thread,2_threads}``,
  ``<variant>_over_float32_time_ratio_{1_thread,2_threads}``, ``<variant>_size_bytes``,
  ``<variant>_sha256``, ``runs``;
* ``meta``: machine (CPU, cores, platform, versions, load average at the start), load average
  at the end, train steps, determinism, ``wall_seconds``.
"""

import hashlib
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from pose.joints import NUM_JOINTS

# Top-level sections of reports/bench.json; tests check these and the keys inside.
BENCH_SECTIONS = ("meta", "heatmap_targets", "input_and_training", "decode", "photo_read", "tflite")


def best_ms_per_sample(function, count, repeats=5):
    """Best of ``repeats`` wall-clock runs of ``function()``, in milliseconds per one of its ``count`` samples."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000 / count


def heatmap_targets(size=32, sigma=1.5, count=500, train_samples=8500, repeats=5, seed=0):
    """Blur vs analytic Gaussian targets, and reading stored float16 targets back, per sample (16 joints).

    Args:
        size: heatmap width and height, pixels. count: samples per timed batch.
        train_samples: split size for the disk space stored targets would take.
    Returns:
        dict: ``analytic_ms_per_sample``, ``blur_ms_per_sample``, ``blur_over_analytic_time_ratio``,
        ``read_stored_float16_ms_per_sample``, ``stored_targets_train_split_mb`` and the settings.
    """
    from pose.heatmaps import render_analytic, render_blur

    rng = np.random.default_rng(seed)
    keypoints = rng.uniform(0, size - 1, (count, NUM_JOINTS, 2))
    labeled = rng.random((count, NUM_JOINTS)) > 0.1
    shape = (size, size, sigma)
    analytic_ms = best_ms_per_sample(lambda: render_analytic(keypoints, labeled, *shape), count, repeats)
    blur_ms = best_ms_per_sample(lambda: render_blur(keypoints, labeled, *shape), count, repeats)

    maps = render_analytic(keypoints, labeled, *shape).astype(np.float16)
    with tempfile.TemporaryDirectory() as folder:
        shard = Path(folder) / "targets.npz"
        np.savez(shard, targets=maps)

        def read():
            with np.load(shard) as data:
                return data["targets"].astype(np.float32)

        read_ms = best_ms_per_sample(read, count, repeats)
    return {
        "heatmap_size": size,
        "sigma": sigma,
        "analytic_ms_per_sample": round(analytic_ms, 4),
        "blur_ms_per_sample": round(blur_ms, 4),
        "blur_over_analytic_time_ratio": round(blur_ms / analytic_ms, 1),
        "read_stored_float16_ms_per_sample": round(read_ms, 4),
        "stored_targets_train_split_mb": round(maps[0].nbytes * train_samples / 1e6, 1),
    }


def images_per_second(run_steps, steps, batch_size, warmup=2):
    """Images per second of ``run_steps(steps)`` after ``run_steps(warmup)`` (tracing, thread pools)."""
    run_steps(warmup)
    start = time.perf_counter()
    run_steps(steps)
    return steps * batch_size / (time.perf_counter() - start)


def train_throughput(params, arrays, steps=30, pipeline_steps=None, model=None):
    """Images/s of the augmented input pipeline alone, of train steps on cached batches (model only) and
    of train steps fed by the pipeline, with the encoder frozen and fine-tuning.

    Op determinism is process-wide: the caller turns it on (``tf.config.experimental.enable_op_determinism``)
    before calling, as training does when ``train.deterministic`` is true.

    Args:
        params: :class:`pose.params.Params`. arrays: the train split (:func:`pose.samples.read_split`).
        steps: timed train steps per measurement. pipeline_steps: batches pulled from the
            pipeline alone (default ``3 * steps``).
        model: a Keras model with an ``encoder`` layer to train instead of the params' U-Net
            (random weights: throughput does not depend on them); tests pass a tiny one.
    Returns:
        dict of ``*_images_per_second`` (rounded to 0.1) plus batch size, input size, core count.
    """
    import keras

    from pose.input_pipeline import make_dataset
    from pose.losses import get_loss
    from pose.model import build_unet
    from pose.training import set_encoder_trainable

    settings, geometry = params.train, params.geometry
    keras.utils.set_random_seed(params.seed)
    batch = settings.batch_size
    dataset = make_dataset(arrays, geometry.output_stride, params.heatmaps.sigma, params.heatmaps.method, batch,
                           augmentation=settings.augment, seed=params.seed, repeat=True)
    iterator = iter(dataset)
    result = {"batch_size": batch, "input_size": [geometry.input_width, geometry.input_height],
              "cpu_cores": os.cpu_count()}

    def pull(count):
        for _ in range(count):
            next(iterator)

    result["pipeline_images_per_second"] = images_per_second(pull, pipeline_steps or steps * 3, batch)

    if model is None:
        model = build_unet(settings.backbone, geometry.input_width, geometry.input_height, NUM_JOINTS,
                           geometry.output_stride, weights=None, bn_momentum=settings.bn_momentum)
    cached = [next(iterator) for _ in range(4)]
    for phase, fraction in (("frozen", 0.0), ("fine_tune", 1.0)):
        set_encoder_trainable(model, fraction)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=get_loss(settings.loss))

        def model_only(count):
            for step in range(count):
                model.train_on_batch(*cached[step % len(cached)])

        def fed(count):
            for _ in range(count):
                model.train_on_batch(*next(iterator))

        result[f"model_only_{phase}_images_per_second"] = images_per_second(model_only, steps, batch)
        result[f"pipeline_fed_{phase}_images_per_second"] = images_per_second(fed, steps, batch)
    return {key: round(value, 1) if isinstance(value, float) else value for key, value in result.items()}


def throughput_ratios(throughput):
    """How many times faster the input pipeline is than the model, per phase (> 1: the model is the bottleneck)."""
    pipeline = throughput["pipeline_images_per_second"]
    return {f"pipeline_over_model_{phase}_ratio": round(pipeline / throughput[f"model_only_{phase}_images_per_second"], 1)
            for phase in ("frozen", "fine_tune")}


def decode_times(heatmaps, count=200, reference="argmax"):
    """Per-image decoding time of every decoder, and its ratio to ``reference``.

    Args:
        heatmaps: (N, h, w, K) float32, decoded one image at a time as an app does.
    Returns:
        {"<decoder>_ms_per_image": median ms, "<decoder>_over_argmax_time_ratio": ratio, "images": n}
    """
    from pose.decode import DECODERS
    from pose.evaluation import decode_latency_ms

    times = {method: decode_latency_ms(heatmaps, method, count) for method in DECODERS}
    result = {"images": int(min(count, len(heatmaps))), "heatmap_shape": list(heatmaps.shape[1:])}
    for method, ms in times.items():
        result[f"{method}_ms_per_image"] = round(ms, 4)
        result[f"{method}_over_{reference}_time_ratio"] = round(ms / times[reference], 2)
    return result


def photo_read_times(paths, crop_to_image, input_width, input_height):
    """Milliseconds per person to decode its JPEG and cut the model-input crop (the ``heatmaps`` stage's work).

    Args:
        paths: photo files. crop_to_image: (N, 2, 3) from the samples.
    Returns:
        {"jpeg_decode_ms_per_photo", "crop_ms_per_person", "photos"}: medians over ``paths``.
    """
    from pose.crop import crop_image, invert_affine
    from pose.samples import read_rgb

    decode, crop = [], []
    for path, affine in zip(paths, crop_to_image):
        started = time.perf_counter()
        photo = read_rgb(path)
        decoded = time.perf_counter()
        crop_image(photo, invert_affine(affine), input_width, input_height)
        decode.append(decoded - started)
        crop.append(time.perf_counter() - decoded)
    return {"photos": len(decode), "jpeg_decode_ms_per_photo": round(float(np.median(decode)) * 1000, 4),
            "crop_ms_per_person": round(float(np.median(crop)) * 1000, 4)}


def tflite_latencies(tflite_dir, image, runs=200, variants=("float32", "float16", "int8"), warmup=5):
    """Median single-image LiteRT latency of each variant at 1 and 2 threads, and ratios to float32.

    The variants of one thread count take turns, one inference each, ``runs`` rounds: a change
    in the machine's load then hits all of them alike and the ratios stay fair.

    Args:
        tflite_dir: folder with ``<variant>.tflite`` and its JSON. image: (H, W, 3) uint8 crop.
    Returns:
        {"<variant>_latency_ms_<n>_thread(s)": ms, "<variant>_over_float32_time_ratio_<n>_thread(s)": ratio,
        "<variant>_size_bytes": bytes, "<variant>_sha256": the file's hash, "runs": runs}
    """
    from pose.export import LiteModel

    result = {"runs": runs}
    for variant in variants:
        path = Path(tflite_dir) / f"{variant}.tflite"
        result[f"{variant}_size_bytes"] = path.stat().st_size
        result[f"{variant}_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for threads in (1, 2):
        suffix = f"{threads}_thread{'s' if threads > 1 else ''}"
        models = {variant: LiteModel(Path(tflite_dir) / f"{variant}.tflite", threads=threads) for variant in variants}
        times = {variant: [] for variant in variants}
        for round_ in range(warmup + runs):
            for variant, model in models.items():
                started = time.perf_counter()
                model.raw(image)
                if round_ >= warmup:
                    times[variant].append((time.perf_counter() - started) * 1000)
        for variant in variants:
            result[f"{variant}_latency_ms_{suffix}"] = round(float(np.median(times[variant])), 4)
        for variant in variants:
            result[f"{variant}_over_float32_time_ratio_{suffix}"] = round(
                result[f"{variant}_latency_ms_{suffix}"] / result[f"float32_latency_ms_{suffix}"], 2)
    return result


def run_all(params, samples, tflite_dir, raw, steps=20, targets_count=500, decode_count=200, photo_count=200,
            latency_runs=200, train_limit=None, log=print):
    """Every pipeline cost in one process: the ``reports/bench.json`` dict (sections :data:`BENCH_SECTIONS`).

    Args:
        params: :class:`pose.params.Params` (geometry, heatmaps, train settings as training uses them).
        samples: folder with the ``train`` and ``test`` splits. raw: folder of the photos.
        tflite_dir: folder with the TFLite variants.
        steps: timed train steps per training measurement (keep small: fine-tuning runs ~50 images/s here).
        train_limit: use only the first N training samples (quick runs); None for all.
    """
    import tensorflow as tf

    from pose.errors import PoseError
    from pose.evaluation import predict_heatmaps
    from pose.export import LiteModel
    from pose.peers import machine_meta
    from pose.samples import read_split

    started = time.perf_counter()
    meta = {"machine": machine_meta(), "steps": steps, "train_limit": train_limit,
            "note": "ratios are measured in this one run; absolute times move with the machine's load"}
    if params.train.deterministic:  # as training runs (process-wide, so before any op)
        tf.config.experimental.enable_op_determinism()
    meta["deterministic"] = params.train.deterministic
    for variant in ("float32", "float16", "int8"):
        if not (Path(tflite_dir) / f"{variant}.tflite").exists():
            raise PoseError(f"{Path(tflite_dir) / f'{variant}.tflite'} not found; run `dvc repro quantize` first.")
    report = {}
    geometry = params.geometry

    log("heatmap targets: blur vs analytic")
    report["heatmap_targets"] = heatmap_targets(geometry.input_width // geometry.output_stride, params.heatmaps.sigma,
                                                targets_count)

    test = read_split(samples, "test")
    log("TFLite latency per variant")
    report["tflite"] = tflite_latencies(tflite_dir, test["images"][0], latency_runs)

    log("heatmap decoding per decoder")
    images = test["images"][:decode_count]
    heatmaps = predict_heatmaps(LiteModel(Path(tflite_dir) / "float32.tflite", threads=2), images)
    report["decode"] = decode_times(heatmaps, decode_count)

    log("photo decoding and cropping")
    paths = [Path(raw) / name for name in test["image"][:photo_count]]
    if not paths[0].exists():
        raise PoseError(f"{paths[0]} not found; run `dvc repro download` or pass --raw the photos' folder.")
    report["photo_read"] = photo_read_times(paths, test["crop_to_image"][:photo_count], test["images"].shape[2],
                                            test["images"].shape[1])
    del test, heatmaps

    log(f"input pipeline and training throughput ({steps} steps per measurement)")
    train = read_split(samples, "train")
    if train_limit is not None:
        train = {key: value[:train_limit] for key, value in train.items()}
    throughput = train_throughput(params, train, steps)
    throughput.update(throughput_ratios(throughput))
    report["input_and_training"] = throughput

    meta["load_average_after_1_5_15_min"] = [round(v, 2) for v in os.getloadavg()]
    meta["wall_seconds"] = round(time.perf_counter() - started, 1)
    report["meta"] = meta
    return report


# ---------------------------------------------------------------------------------------------
# README "Results": markdown rendered from reports/peers.json and reports/bench.json, never typed.

RESULTS_BEGIN = "<!-- results:begin -->"
RESULTS_END = "<!-- results:end -->"
PEER_ROWS = (  # (peers.json key, model, input, short column name) in table order
    ("ours_int8", "ours, int8", "person crop, 128x128", "ours int8"),
    ("ours_float16", "ours, float16", "person crop, 128x128", "ours float16"),
    ("ours_float32", "ours, float32", "person crop, 128x128", "ours float32"),
    ("mediapipe_full_crop", "MediaPipe Pose full", "same crop region, native resolution", "MediaPipe crop"),
    ("mediapipe_full_crop2x", "MediaPipe Pose full", "crop region x2 (more context)", "MediaPipe crop x2"),
    ("mediapipe_full_photo", "MediaPipe Pose full", "whole photo", "MediaPipe photo"),
)
DECODER_ORDER = ("argmax", "quarter_offset", "dark", "centroid")
LIMB_JOINTS = ("r_shoulder", "l_shoulder", "r_elbow", "l_elbow", "r_wrist", "l_wrist",
               "r_hip", "l_hip", "r_knee", "l_knee", "r_ankle", "l_ankle")


def _number(value, digits):
    """Fixed-point text, thousands separated; an absent value (None / missing) is 'n/a'."""
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _machine(meta):
    machine = meta.get("machine", {})
    load = machine.get("load_average_1_5_15_min") or [None]
    return (f"{machine.get('processor', 'unknown CPU')}, {machine.get('cpu_count', '?')} cores, "
            f"1-minute load average {_number(load[0], 2)} at the start")


def render_peers(peers):
    """Markdown of the peer comparison from the ``reports/peers.json`` dict."""
    meta = peers["meta"]
    rows = [key for key in PEER_ROWS if key[0] in peers]
    main = []
    for key, model, image, _ in rows:
        entry = peers[key]
        main.append([model, image, _number(entry.get("pck@0.2_limbs12"), 3),
                     _number(entry.get("pck@0.2_limbs12_detected_only", entry.get("pck@0.2_limbs12")), 3),
                     f"{entry['missed_persons']:,} / {entry['persons']:,}",
                     f"{entry['size_bytes'] / 1e6:.2f} MB",
                     _number(entry.get("latency_ms_1_thread"), 1), _number(entry.get("latency_ms_2_threads"), 1)])
    joints = [[name] + [_number(peers[key].get(f"pck@0.2_{name}"), 3) for key, *_ in rows] for name in LIMB_JOINTS]
    mediapipe = meta.get("mediapipe", {})
    invoke = ", ".join(f"{key.split('_', 1)[1]} {_number(peers[key].get('invoke_ms_1_thread'), 2)} / "
                       f"{_number(peers[key].get('invoke_ms_2_threads'), 2)}"
                       for key, *_ in rows if "invoke_ms_1_thread" in peers[key])
    busy = meta.get("mediapipe_cores_busy", {})
    return "\n".join([
        "### Against MediaPipe Pose",
        "",
        f"{meta['dataset'].upper()} {meta['split']} split, {meta['persons']:,} persons, PCK@0.2 (torso) over the 12 limb "
        "joints in photo pixels, the same `pose.evaluation.score` for every model; a person MediaPipe does not "
        "detect counts as all joints wrong. MediaPipe has no neck or head top, so only the limbs are compared. "
        f"`{mediapipe.get('solution', 'MediaPipe Pose')}`, mediapipe {mediapipe.get('mediapipe_version', '?')}, "
        "offline (its two model files ship in the wheel; sizes below are their sum). Milliseconds per image, "
        f"median, measured in the same run on this CPU ({_machine(meta)}).",
        "",
        _table(["model", "input", "PCK@0.2 limbs12", "on detected persons", "missed", "size",
                "ms 1 thread", "ms 2 threads"], main),
        "",
        "Our time is the whole path from the decoded photo: affine crop to 128x128, LiteRT invoke, heatmap "
        f"decoding ({meta.get('decoder', '?')}), back to photo pixels (the invoke alone, 1 / 2 threads: "
        f"{invoke} ms). MediaPipe's is `Pose.process`: person detector, landmark model, its own resizing. "
        "Its legacy API has no thread setting: its \"1 thread\" column is the process pinned to one core, "
        "\"2 threads\" free on both"
        + (f" (it kept {busy['2_threads']:.2f} cores busy). " if busy.get("2_threads") is not None else ". ") +
        "Our models are given the dataset's person box; MediaPipe runs its own person detector even on the "
        "crops, so its missed persons are part of its score.",
        "",
        *summary_lines(peers),
        "PCK@0.2 per joint:",
        "",
        _table(["joint"] + [short for *_, short in rows], joints),
    ])


def summary_lines(peers):
    """One generated sentence: MediaPipe's best input against our int8 model (accuracy and time), or nothing."""
    ours = peers.get("ours_int8")
    theirs = [(key, short) for key, *_, short in PEER_ROWS if key.startswith("mediapipe") and key in peers
              and peers[key].get("pck@0.2_limbs12") is not None]
    if ours is None or not theirs or ours.get("pck@0.2_limbs12") is None:
        return []
    key, short = max(theirs, key=lambda item: peers[item[0]]["pck@0.2_limbs12"])
    best = peers[key]
    gap = best["pck@0.2_limbs12"] - ours["pck@0.2_limbs12"]
    slower = [f"{best[f'latency_ms_{t}']  / ours[f'latency_ms_{t}']:.0f}x" for t in ("1_thread", "2_threads")
              if best.get(f"latency_ms_{t}") and ours.get(f"latency_ms_{t}")]
    size = best["size_bytes"] / ours["size_bytes"]
    return [f"MediaPipe's best input here ({short.split(' ', 1)[1]}) scores {abs(gap) * 100:.1f} points "
            f"{'above' if gap >= 0 else 'below'} our int8 model on the limbs, "
            f"{' / '.join(slower)} its time per image (1 / 2 threads), from {size:.1f}x the bytes of model.", ""]


def render_bench(bench):
    """Markdown of the pipeline costs from the ``reports/bench.json`` dict."""
    targets, training = bench["heatmap_targets"], bench["input_and_training"]
    decode, photo, lite = bench["decode"], bench["photo_read"], bench["tflite"]
    variants = [v for v in ("float32", "float16", "int8") if f"{v}_latency_ms_1_thread" in lite]
    found = [key[:-len("_ms_per_image")] for key in decode if key.endswith("_ms_per_image")]
    decoders = [name for name in DECODER_ORDER if name in found] + sorted(set(found) - set(DECODER_ORDER))
    return "\n".join([
        "### Pipeline costs",
        "",
        f"One run of `benchmarks/bench.py` ({_machine(bench['meta'])}); each ratio is measured in that run.",
        "",
        _table(["heatmap targets, 16 joints " + f"{targets['heatmap_size']}x{targets['heatmap_size']}", "ms per sample"], [
            ["analytic (default)", _number(targets["analytic_ms_per_sample"], 3)],
            ["blur (one-hot map + `cv2.GaussianBlur`, as the original)", _number(targets["blur_ms_per_sample"], 3)],
            ["blur / analytic", f"{_number(targets['blur_over_analytic_time_ratio'], 1)}x"],
            ["reading stored float16 targets instead", _number(targets["read_stored_float16_ms_per_sample"], 3)],
        ]),
        "",
        _table([f"training, batch {training['batch_size']}, "
                f"{training['input_size'][0]}x{training['input_size'][1]}", "images/s"], [
            ["input pipeline alone (augmentation + targets)", _number(training["pipeline_images_per_second"], 0)],
            ["train steps on cached batches, encoder frozen", _number(training["model_only_frozen_images_per_second"], 0)],
            ["train steps on cached batches, fine-tuning", _number(training["model_only_fine_tune_images_per_second"], 0)],
            ["train steps fed by the pipeline, frozen", _number(training["pipeline_fed_frozen_images_per_second"], 0)],
            ["train steps fed by the pipeline, fine-tuning", _number(training["pipeline_fed_fine_tune_images_per_second"], 0)],
            ["pipeline / model, frozen", f"{_number(training['pipeline_over_model_frozen_ratio'], 1)}x"],
            ["pipeline / model, fine-tuning", f"{_number(training['pipeline_over_model_fine_tune_ratio'], 1)}x"],
        ]),
        "",
        _table(["decoder", "ms per image", "x argmax"],
               [[f"`{name}`", _number(decode[f"{name}_ms_per_image"], 3),
                 _number(decode[f"{name}_over_argmax_time_ratio"], 2)] for name in decoders]),
        "",
        f"Reading one photo: JPEG decode {_number(photo['jpeg_decode_ms_per_photo'], 2)} ms, person crop "
        f"{_number(photo['crop_ms_per_person'], 3)} ms (medians over {photo['photos']} test photos).",
        "",
        _table(["TFLite", "size", "ms 1 thread", "ms 2 threads", "x float32, 1 thread", "x float32, 2 threads"],
               [[variant, f"{lite[f'{variant}_size_bytes'] / 1e6:.2f} MB",
                 _number(lite[f"{variant}_latency_ms_1_thread"], 2), _number(lite[f"{variant}_latency_ms_2_threads"], 2),
                 _number(lite[f"{variant}_over_float32_time_ratio_1_thread"], 2),
                 _number(lite[f"{variant}_over_float32_time_ratio_2_threads"], 2)] for variant in variants]),
    ])


def render_results(peers=None, bench=None, width=100):
    """The README's generated "Results" text (between the markers) from the report dicts.

    Prose paragraphs are wrapped at ``width`` characters like the rest of the README; tables,
    headings and comments are left as they are.
    """
    import textwrap

    parts = ["<!-- generated by benchmarks/results_table.py from reports/peers.json and reports/bench.json; "
             "edit those scripts, not this text -->"]
    if peers is not None:
        parts.append(render_peers(peers))
    if bench is not None:
        parts.append(render_bench(bench))
    blocks = "\n\n".join(parts).split("\n\n")
    return "\n\n".join(block if block.startswith(("|", "#", "<!--")) else textwrap.fill(block, width, break_on_hyphens=False)
                       for block in blocks)


def replace_between_markers(text, generated, where="README.md"):
    """``text`` with everything between :data:`RESULTS_BEGIN` and :data:`RESULTS_END` replaced by ``generated``.

    Raises:
        PoseError: a marker is missing, repeated or out of order.
    """
    from pose.errors import PoseError

    if text.count(RESULTS_BEGIN) != 1 or text.count(RESULTS_END) != 1 or text.index(RESULTS_BEGIN) > text.index(RESULTS_END):
        raise PoseError(f"{where} needs exactly one `{RESULTS_BEGIN}` line followed by one `{RESULTS_END}` line "
                        "where the generated results go; add them (e.g. under a `## Results` heading).")
    head, rest = text.split(RESULTS_BEGIN)
    _, tail = rest.split(RESULTS_END)
    return f"{head}{RESULTS_BEGIN}\n{generated.strip()}\n{RESULTS_END}{tail}"
