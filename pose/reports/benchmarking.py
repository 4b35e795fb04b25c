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
from pose.timing import interleaved_ms, threads_key

# Top-level sections of reports/bench.json; tests check these and the keys inside.
BENCH_SECTIONS = ("meta", "heatmap_targets", "input_and_training", "decode", "photo_read", "tflite")


def best_ms_per_sample(function, count, repeats=5):
    """Best of ``repeats`` wall-clock runs of ``function()``, in milliseconds per one of its ``count`` samples."""
    return float(interleaved_ms({"only": lambda _: function()}, repeats)["only"].min()) / count


def heatmap_targets(size=32, sigma=1.5, count=500, train_samples=8500, repeats=5, seed=0):
    """Blur vs analytic Gaussian targets, and reading stored float16 targets back, per sample (16 joints).

    Args:
        size: heatmap width and height, pixels. count: samples per timed batch.
        train_samples: split size for the disk space stored targets would take.
    Returns:
        dict: ``analytic_ms_per_sample``, ``blur_ms_per_sample``, ``blur_over_analytic_time_ratio``,
        ``read_stored_float16_ms_per_sample``, ``stored_targets_train_split_mb`` and the settings.
    """
    from pose.codec.heatmaps import render_analytic, render_blur

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
    of train steps fed by the pipeline, with the encoder frozen and fine-tuning (``train.fine_tune_fraction`` of it).

    Op determinism is process-wide: the caller turns it on (``tf.config.experimental.enable_op_determinism``)
    before calling, as training does when ``train.deterministic`` is true.

    Args:
        params: :class:`pose.params.Params`. arrays: the train split (:func:`pose.data.samples.read_split`).
        steps: timed train steps per measurement. pipeline_steps: batches pulled from the
            pipeline alone (default ``3 * steps``).
        model: a Keras model with an ``encoder`` layer to train instead of the params' U-Net
            (random weights: throughput does not depend on them); tests pass a tiny one.
    Returns:
        dict of ``*_images_per_second`` (rounded to 0.1) plus batch size, input size, core count.
    """
    import keras

    from pose.train.input_pipeline import make_dataset
    from pose.train.losses import get_loss
    from pose.train.model import build_unet
    from pose.train.training import set_encoder_trainable

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
    for phase, fraction in (("frozen", 0.0), ("fine_tune", settings.fine_tune_fraction)):
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
    from pose.codec.decode import DECODERS
    from pose.evaluation.scoring import decode_latency_ms

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
    from pose.data.crop import crop_image, invert_affine
    from pose.data.samples import read_rgb

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
    from pose.deploy.export import LiteModel

    result = {"runs": runs}
    for variant in variants:
        path = Path(tflite_dir) / f"{variant}.tflite"
        result[f"{variant}_size_bytes"] = path.stat().st_size
        result[f"{variant}_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for threads in (1, 2):
        suffix = threads_key(threads)
        models = {variant: LiteModel(Path(tflite_dir) / f"{variant}.tflite", threads=threads) for variant in variants}
        times = interleaved_ms({variant: (lambda _, model=model: model.raw(image)) for variant, model in models.items()},
                               runs, warmup)
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
    from pose.evaluation.scoring import predict_heatmaps
    from pose.deploy.export import LiteModel
    from pose.reports.peers import machine_meta
    from pose.data.samples import read_split

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


# Throughput levers of one fine-tuning train step, each changed alone from a baseline: the whole
# encoder fine-tuned, params' batch size and input size, no XLA (the recipe before the levers).
TRAIN_LEVERS = {
    "baseline": {},
    "xla": {"jit_compile": True},
    "batch_32": {"batch_size": 32},
    "batch_32_xla": {"batch_size": 32, "jit_compile": True},
    "fine_tune_top_half": {"fine_tune_fraction": 0.5},
    "input_96": {"input_size": 96},
}
# Levers of the default recipe's step (the top half fine-tuned), each changed alone from
# ``fine_tune_top_half``: how much a narrower decoder or encoder, or coarser heatmaps, would buy.
TOP_HALF = {"fine_tune_fraction": 0.5}
TRAIN_LEVERS.update({
    "top_half_xla": {**TOP_HALF, "jit_compile": True},
    "top_half_stride_8": {**TOP_HALF, "output_stride": 8},
    "top_half_decoder_half": {**TOP_HALF, "decoder_width": 0.5},
    "top_half_alpha_0.75": {**TOP_HALF, "alpha": 0.75},
    "top_half_alpha_0.5": {**TOP_HALF, "alpha": 0.5},
    # bfloat16 compute, float32 weights: oneDNN runs it with AVX512_BF16 / AMX where the CPU has them
    "top_half_bfloat16": {**TOP_HALF, "dtype_policy": "mixed_bfloat16"},
})


def train_step_levers(params, arrays, levers=None, steps=20):
    """Images/s of fine-tuning train steps on cached batches, per throughput lever.

    Each lever (``TRAIN_LEVERS``: ``jit_compile``, ``batch_size``, ``fine_tune_fraction``,
    ``input_size`` in pixels, ``output_stride``, ``decoder_width`` and encoder ``alpha`` multipliers, Keras ``dtype_policy``)
    changes one thing of the baseline (the whole encoder fine-tuned), or the ``top_half_*`` ones
    one thing of ``fine_tune_top_half`` (the default recipe); a fresh U-Net (random weights: speed
    does not depend on them) is compiled for each and timed after two warm-up steps (tracing, XLA
    compilation). The accuracy a lever costs is measured by training, not here.

    Args:
        params: :class:`pose.params.Params`. arrays: the train split (:func:`pose.data.samples.read_split`).
        levers: {name: overrides}, default ``TRAIN_LEVERS``. steps: timed steps per lever.
    Returns:
        {name: images/s rounded to 0.1} plus ``<name>_over_baseline_ratio`` for every other lever
        and ``<name>_over_top_half_ratio`` for the ``top_half_*`` ones; an XLA lever Keras would
        run without XLA is left out.
    """
    import keras

    from pose.train.input_pipeline import make_dataset
    from pose.train.losses import get_loss
    from pose.train.model import build_unet
    from pose.train.training import set_encoder_trainable

    settings, geometry = params.train, params.geometry
    result = {}
    for name, overrides in (levers or TRAIN_LEVERS).items():
        keras.utils.set_random_seed(params.seed)
        batch = overrides.get("batch_size", settings.batch_size)
        size = overrides.get("input_size", geometry.input_width)
        stride = overrides.get("output_stride", geometry.output_stride)
        dataset = make_dataset(arrays, stride, params.heatmaps.sigma, params.heatmaps.method, batch,
                               augmentation=settings.augment, seed=params.seed, repeat=True)
        cached = []
        for images, targets in dataset.take(3):
            if size != geometry.input_width:  # speed only: resized inputs, targets at the matching stride
                images = keras.ops.image.resize(images, (size, size))
                targets = keras.ops.image.resize(targets, (size // stride,) * 2)
            cached.append((images, targets))
        keras.mixed_precision.set_global_policy(overrides.get("dtype_policy", "float32"))
        try:
            model = build_unet(settings.backbone, size, size, NUM_JOINTS, stride, weights=None,
                               bn_momentum=settings.bn_momentum, decoder_width=overrides.get("decoder_width", 1.0),
                               alpha=overrides.get("alpha", 1.0))
        finally:  # the layers keep their policy; later levers, and the caller, build in float32
            keras.mixed_precision.set_global_policy("float32")
        set_encoder_trainable(model, overrides.get("fine_tune_fraction", 1.0))
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=get_loss(settings.loss),
                      jit_compile=overrides.get("jit_compile", False))
        if overrides.get("jit_compile") and not model.jit_compile:
            # Keras drops XLA with only a warning, e.g. while TensorFlow's op determinism is on:
            # timing it would label the plain step "xla".
            print(f"{name}: not timed: Keras runs this model without XLA here (it does so while op determinism "
                  "is on: time XLA with a params file where train.deterministic is false)", flush=True)
            continue

        def run(count, model=model, cached=cached):
            for step in range(count):
                model.train_on_batch(*cached[step % len(cached)])

        result[name] = round(images_per_second(run, steps, batch), 1)
        print(f"{name}: {result[name]} images/s", flush=True)
    speeds = dict(result)
    for name, speed in speeds.items():
        if name != "baseline" and "baseline" in speeds:
            result[f"{name}_over_baseline_ratio"] = round(speed / speeds["baseline"], 2)
        if name.startswith("top_half_") and "fine_tune_top_half" in speeds:
            result[f"{name}_over_top_half_ratio"] = round(speed / speeds["fine_tune_top_half"], 2)
    return result
