"""Training: transfer learning in two phases, on whichever Keras backend ``train.backend`` names.

Phase 1 trains only the new layers (decoder and head) with the ImageNet encoder frozen;
phase 2 unfreezes the encoder (all of it, or its top ``fine_tune_fraction``) at a lower
learning rate. The best model by validation loss is kept; early stopping ends phase 2.

The model, losses and input pipeline are plain Keras and numpy; only the device set-up below
asks the backend (several GPUs, float16, op determinism). The backend is fixed when Keras is
first imported: the train stage sets ``KERAS_BACKEND`` from params before that.
"""

import contextlib
import sys
import time

import keras
import numpy as np

from pose.codec.decode import argmax_with_quarter_offset
from pose.codec.heatmaps import heatmap_to_crop
from pose.data.datasets.mixture import epoch_order, is_mixture, sample_sources, training_shares
from pose.errors import PoseError
from pose.train.losses import get_loss
from pose.metrics import pck, torso_size
from pose.train.model import build_unet

PCK_KEY = "val_pck@0.2"


def accelerator_count():
    """GPUs (or other accelerators) the current Keras backend can train on."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return len(tf.config.list_logical_devices("GPU"))
    if backend == "jax":
        import jax

        return sum(device.platform != "cpu" for device in jax.devices())
    if backend == "torch":
        import torch

        return torch.cuda.device_count()
    return 0


def distribute():
    """Spread each batch over several devices where there are several; returns (scope, replica count).

    TensorFlow: a MirroredStrategy over all GPUs (for several machines, run the same command on
    each with TF_CONFIG set and use ``tf.distribute.MultiWorkerMirroredStrategy()``). JAX: Keras'
    ``DataParallel`` over all devices of the default platform. Torch: one device.
    The scope is where the model and optimizer must be built.
    """
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_logical_devices("GPU")
        if len(gpus) > 1:
            strategy = tf.distribute.MirroredStrategy([gpu.name for gpu in gpus])
            return strategy.scope, strategy.num_replicas_in_sync
        return contextlib.nullcontext, 1
    if backend == "jax":
        import jax

        devices = jax.devices()
        if len(devices) > 1:
            keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
        return contextlib.nullcontext, len(devices)
    return contextlib.nullcontext, 1


class ValidationPCK(keras.callbacks.Callback):
    """Adds PCK@0.2 (torso-normalised, labeled joints) on the validation crops to the epoch logs.

    Torso sizes are measured in crop pixels: the crop is a similarity transform of the photo,
    so the ratio, and thus PCK, is the same as in photo pixels. With several datasets (``names``)
    each one's figure is logged too, as ``val_pck@0.2_<name>``.
    """

    def __init__(self, arrays, output_stride, batch_size, names=()):
        super().__init__()
        self.images = arrays["images"]
        self.keypoints = arrays["keypoints"]
        self.labeled = arrays["labeled"]
        self.reference = torso_size(self.keypoints, self.labeled)
        self.output_stride = output_stride
        self.batch_size = batch_size
        self.subsets = {}
        if is_mixture(names):
            sources = sample_sources(arrays["image"], names)
            self.subsets = {name: sources == index for index, name in enumerate(names) if (sources == index).any()}

    def on_epoch_end(self, epoch, logs=None):
        heatmaps = self.model.predict(self.images.astype(np.float32), batch_size=self.batch_size, verbose=0)
        predicted, _ = argmax_with_quarter_offset(heatmaps)
        predicted = heatmap_to_crop(predicted, self.output_stride)
        value = pck(predicted, self.keypoints, self.labeled, self.reference, alpha=0.2)
        values = {PCK_KEY: value}
        for name, rows in self.subsets.items():
            values[f"{PCK_KEY}_{name}"] = pck(predicted[rows], self.keypoints[rows], self.labeled[rows],
                                              self.reference[rows], alpha=0.2)
        if logs is not None:
            logs.update(values)
        print(f"epoch {epoch + 1}: " + ", ".join(f"{key} = {number:.3f}" for key, number in values.items()))


class EpochTimer(keras.callbacks.Callback):
    """Adds ``epoch_seconds`` and training ``images_per_second`` to the epoch logs."""

    def __init__(self, images_per_epoch):
        super().__init__()
        self.images_per_epoch = images_per_epoch

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds = time.perf_counter() - self.started
        if logs is not None:
            logs["epoch_seconds"] = seconds
            logs["images_per_second"] = self.images_per_epoch / seconds


class BatchEpoch(keras.callbacks.Callback):
    """Tells the training batches which epoch begins, so each epoch draws its own seeded order and augmentation."""

    def __init__(self, batches):
        super().__init__()
        self.batches = batches

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.epoch = epoch


def training_data(params, train_arrays, val_arrays, batch_size, context_arrays=None):
    """Training and validation data for the backend Keras runs on.

    TensorFlow: ``tf.data`` (:mod:`pose.train.input_pipeline`), repeated, ``steps_per_epoch`` full
    batches an epoch. JAX and PyTorch: the numpy/OpenCV :class:`pose.train.batches.HeatmapBatches`
    with ``train.input_workers``, told each epoch's number by a callback. Fed through Keras'
    PyDataset adapter, TensorFlow trained at less than half its ``tf.data`` speed here, hence two.
    Several datasets (``data.dataset`` a list): both draw each epoch's samples by
    :func:`pose.data.datasets.mixture.epoch_order`, with ``data.weights``' shares.

    Returns:
        (train data, validation data, steps per epoch, {"callbacks": [...], "fit": {model.fit kwargs}})
    """
    settings, stride, heatmaps = params.train, params.geometry.output_stride, params.heatmaps
    mixing = None
    if is_mixture(params.data.names):
        sources = sample_sources(train_arrays["image"], params.data.names)
        mixing = (sources, training_shares(sources, params.data.names, params.data.weights))
        print("mixing datasets: " + ", ".join(f"{name} {share:.0%} of each epoch ({count} training persons)" for
                                              name, share, count in zip(params.data.names, mixing[1],
                                                                        np.bincount(sources))))
    if keras.backend.backend() == "tensorflow":
        from pose.train.input_pipeline import make_dataset  # imports TensorFlow: only on its backend

        steps_per_epoch = max(len(train_arrays["images"]) // batch_size, 1)
        order = None if mixing is None else np.concatenate(
            [epoch_order(*mixing, params.seed, epoch) for epoch in range(settings.epochs)])
        train_data = make_dataset(train_arrays, stride, heatmaps.sigma, heatmaps.method, batch_size,
                                  augmentation=settings.augment, seed=params.seed, repeat=True, context=context_arrays,
                                  order=order)
        val_data = make_dataset(val_arrays, stride, heatmaps.sigma, heatmaps.method, batch_size)
        return train_data, val_data, steps_per_epoch, {"callbacks": [], "fit": {"steps_per_epoch": steps_per_epoch}}
    from pose.train.batches import make_batches

    workers = dict(workers=settings.input_workers, use_multiprocessing=settings.input_processes)
    train_data = make_batches(train_arrays, stride, heatmaps.sigma, heatmaps.method, batch_size,
                              augmentation=settings.augment, seed=params.seed, context=context_arrays, mixing=mixing,
                              **workers)
    val_data = make_batches(val_arrays, stride, heatmaps.sigma, heatmaps.method, batch_size, **workers)
    # shuffle=False: the batches shuffle themselves, seeded, each epoch.
    return train_data, val_data, len(train_data), {"callbacks": [BatchEpoch(train_data)], "fit": {"shuffle": False}}


def set_encoder_trainable(model, fraction):
    """Freeze the encoder (``fraction`` 0) or unfreeze its top ``fraction`` of layers."""
    encoder = model.get_layer("encoder")
    layers = encoder.layers
    first_trainable = len(layers) - int(round(len(layers) * fraction))
    encoder.trainable = fraction > 0
    for index, layer in enumerate(layers):
        layer.trainable = fraction > 0 and index >= first_trainable


def learning_rate_schedule(learning_rate, phase_steps, warmup_steps=0):
    """One phase's learning rate per step: a cosine decay to 5 % of ``learning_rate`` by step ``phase_steps``.

    ``warmup_steps`` > 0: the phase's first steps ramp the rate linearly from 0 up to ``learning_rate``
    (Adam's moments start afresh at each compile, and the newly trainable encoder layers are pretrained),
    then the cosine decays over the remaining steps.
    """
    if warmup_steps > 0:
        return keras.optimizers.schedules.CosineDecay(0.0, decay_steps=max(phase_steps - warmup_steps, 1), alpha=0.05,
                                                      warmup_target=learning_rate, warmup_steps=warmup_steps)
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=max(phase_steps, 1), alpha=0.05)


def _compile(model, loss, learning_rate, phase_steps, warmup_steps=0):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate_schedule(learning_rate, phase_steps, warmup_steps)),
                  loss=loss)


def train(params, train_arrays, val_arrays, model_path, extra_callbacks=(), context_arrays=None):
    """Train a U-Net as ``params.train`` says; the best model (by val_loss) is saved at ``model_path``.

    ``context_arrays`` (the training persons' context crops) feed the loose framings of
    ``train.augment.loose_probability``; validation stays on tight crops.

    Returns:
        The Keras ``History`` entries of both phases merged: {metric: [per-epoch values]}.
    """
    settings, geometry = params.train, params.geometry
    if keras.backend.backend() != settings.backend:
        raise PoseError(f"train.backend is {settings.backend} but Keras was loaded with {keras.backend.backend()}; "
                        f"set KERAS_BACKEND={settings.backend} before Keras is first imported (stages/train.py does).")
    keras.utils.set_random_seed(params.seed)
    if settings.deterministic and settings.backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    scope, replicas = distribute()
    if settings.mixed_precision and accelerator_count():
        keras.mixed_precision.set_global_policy("mixed_float16")
    batch_size = settings.batch_size * replicas
    train_data, val_data, steps_per_epoch, feeding = training_data(params, train_arrays, val_arrays, batch_size,
                                                                   context_arrays)
    loss = get_loss(settings.loss, settings.foreground_weight)

    with scope():
        model = build_unet(settings.backbone, geometry.input_width, geometry.input_height,
                           train_arrays["keypoints"].shape[1], geometry.output_stride,
                           weights=None if settings.weights == "none" else "imagenet", bn_momentum=settings.bn_momentum,
                           decoder_width=settings.decoder_width)
    callbacks = [
        *feeding["callbacks"],
        ValidationPCK(val_arrays, geometry.output_stride, batch_size, params.data.names),
        EpochTimer(steps_per_epoch * batch_size),
        keras.callbacks.ModelCheckpoint(str(model_path), monitor="val_loss", save_best_only=True, verbose=1),
        *extra_callbacks,
    ]
    verbose = 1 if sys.stdout.isatty() else 2
    history = {}
    warmup_steps = int(round(settings.fine_tune_warmup_epochs * steps_per_epoch))
    phases = [("frozen encoder", 0.0, settings.learning_rate, 0, settings.frozen_epochs, 0),
              ("fine-tuning", settings.fine_tune_fraction, settings.fine_tune_learning_rate,
               settings.frozen_epochs, settings.epochs, warmup_steps)]
    if settings.weights == "none":  # nothing pretrained to protect: train everything from the start
        phases = [("training from scratch", 1.0, settings.learning_rate, 0, settings.epochs, 0)]
    for name, fraction, learning_rate, first_epoch, last_epoch, phase_warmup_steps in phases:
        if last_epoch <= first_epoch:
            continue
        warmup_text = f" after a {phase_warmup_steps}-step warm-up from 0" if phase_warmup_steps else ""
        print(f"{name}: epochs {first_epoch + 1}-{last_epoch}, learning rate {learning_rate:g}{warmup_text}")
        with scope():
            set_encoder_trainable(model, fraction)
            _compile(model, loss, learning_rate, steps_per_epoch * (last_epoch - first_epoch), phase_warmup_steps)
        phase_callbacks = list(callbacks)
        if fraction > 0:
            phase_callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=settings.early_stopping_patience, verbose=1))
        result = model.fit(train_data, validation_data=val_data, epochs=last_epoch, initial_epoch=first_epoch,
                           callbacks=phase_callbacks, verbose=verbose, **feeding["fit"])
        for key, values in result.history.items():
            history.setdefault(key, []).extend(values)
        if model.stop_training:
            break
    return history


def summarize(history):
    """Final figures for metrics.json: best epoch by val_loss and its validation PCK."""
    best = int(np.nanargmin(history["val_loss"]))
    return {
        "best_epoch": best + 1,
        "epochs_run": len(history["val_loss"]),
        "best_val_loss": float(history["val_loss"][best]),
        PCK_KEY: float(history[PCK_KEY][best]),
        "max_" + PCK_KEY: float(np.nanmax(history[PCK_KEY])),
        "train_images_per_second": float(np.median(history["images_per_second"])),
        "train_minutes": float(np.sum(history["epoch_seconds"]) / 60),
    }
