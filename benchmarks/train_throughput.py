"""Benchmark the training input pipeline against the model: is the model the bottleneck?

Reports images/s of (a) the augmented tf.data pipeline alone, (b) train steps on cached
batches (model only), for the frozen and the fully trainable encoder, and (c) train steps fed
by the pipeline. Run once per determinism setting (op determinism is process-wide):

    stages/python benchmarks/train_throughput.py --samples data/samples [--deterministic] [--out FILE]
"""

import argparse
import os
import json
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from pose.input_pipeline import make_dataset
from pose.losses import get_loss
from pose.model import build_unet
from pose.params import load_params
from pose.samples import read_split
from pose.training import set_encoder_trainable


def images_per_second(run_steps, steps, batch_size):
    run_steps(2)  # warm-up: tracing, thread pools
    start = time.perf_counter()
    run_steps(steps)
    return steps * batch_size / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--deterministic", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()

    params = load_params(args.params)
    settings, geometry = params.train, params.geometry
    keras.utils.set_random_seed(params.seed)
    if args.deterministic:
        tf.config.experimental.enable_op_determinism()
    arrays = read_split(args.samples, "train")
    batch = settings.batch_size
    dataset = make_dataset(arrays, geometry.output_stride, params.heatmaps.sigma, params.heatmaps.method, batch,
                           augmentation=settings.augment, seed=params.seed, repeat=True)
    iterator = iter(dataset)
    result = {"deterministic": args.deterministic, "batch_size": batch,
              "input_size": [geometry.input_width, geometry.input_height], "cpu_cores": os.cpu_count()}

    def pull(steps):
        for _ in range(steps):
            next(iterator)

    result["pipeline_images_per_second"] = images_per_second(pull, args.steps * 3, batch)

    model = build_unet(settings.backbone, geometry.input_width, geometry.input_height, 16, geometry.output_stride,
                       weights=None, bn_momentum=settings.bn_momentum)
    cached = [next(iterator) for _ in range(4)]
    for phase, fraction in (("frozen", 0.0), ("fine_tune", 1.0)):
        set_encoder_trainable(model, fraction)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=get_loss(settings.loss))

        def model_only(steps):
            for step in range(steps):
                model.train_on_batch(*cached[step % len(cached)])

        def fed(steps):
            for _ in range(steps):
                model.train_on_batch(*next(iterator))

        result[f"model_only_{phase}_images_per_second"] = images_per_second(model_only, args.steps, batch)
        result[f"pipeline_fed_{phase}_images_per_second"] = images_per_second(fed, args.steps, batch)
    result = {key: round(value, 1) if isinstance(value, float) else value for key, value in result.items()}
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
