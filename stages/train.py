"""train stage: fit the U-Net on the training crops, keep the best model, log every epoch with DVCLive."""

import argparse
import dataclasses
import importlib.util
import os
import time

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import atomic_path, write_json
from pose.params import load_params
from pose.data.samples import CONTEXT_SPLIT, read_split


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", required=True, help="folder with train/ and val/ shards")
    parser.add_argument("--model", required=True, help="where the best model goes (.keras)")
    parser.add_argument("--model-params", required=True, help="the params it was trained with (JSON, beside the model)")
    parser.add_argument("--live", required=True, help="DVCLive folder: metrics.json and per-epoch plots")
    args = parser.parse_args()

    params = load_params(args.params)  # before TensorFlow loads: bad params fail in a second
    if importlib.util.find_spec(params.train.backend) is None:
        raise PoseError(f"train.backend = {params.train.backend} but {params.train.backend} is not installed in this "
                        "Python; install it (`make setup TORCH=1` adds PyTorch, `make setup GPU=1` JAX with CUDA) or set "
                        "train.backend: tensorflow.")
    os.environ["KERAS_BACKEND"] = params.train.backend  # read once, when Keras is first imported (next lines)
    from dvclive import Live
    from dvclive.keras import DVCLiveCallback

    from pose.train.training import summarize, train

    class TwoPhaseDVCLive(DVCLiveCallback):
        """DVCLive's callback ends the run at the end of each fit(); training has two fits."""

        def on_train_end(self, logs=None):
            pass

    train_arrays = read_split(args.samples, "train")
    val_arrays = read_split(args.samples, "val")
    loose = params.train.augment.loose_probability > 0
    context_arrays = read_split(args.samples, CONTEXT_SPLIT) if loose else None
    print(f"training on {len(train_arrays['images'])} crops"
          f"{f' ({params.train.augment.loose_probability:.0%} framed loosely from their context crops)' if loose else ''}, "
          f"validating on {len(val_arrays['images'])}")
    started = time.perf_counter()
    live = Live(dir=args.live, dvcyaml=None, save_dvc_exp=False)  # dvc.yaml declares the outputs itself
    with atomic_path(args.model) as temporary_model:
        history = train(params, train_arrays, val_arrays, temporary_model, [TwoPhaseDVCLive(live=live)],
                        context_arrays=context_arrays)
    summary = summarize(history)
    summary["total_minutes"] = (time.perf_counter() - started) / 60
    live.summary["summary"] = summary  # beside DVCLive's last-epoch values: the run's best epoch and timings
    live.end()
    write_json(args.model_params, dataclasses.asdict(params))
    print(f"best epoch {summary['best_epoch']}: val_loss {summary['best_val_loss']:.4f}, "
          f"val PCK@0.2 {summary['val_pck@0.2']:.3f}; {summary['total_minutes']:.1f} min")


if __name__ == "__main__":
    main()
