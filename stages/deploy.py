"""deploy stage: the chosen TFLite variant and its metadata into the Android app, plus golden vectors.

Golden vectors: the chosen test crops through the model (the app's decoder tests), and in
``tracking/`` the person finder and tracker recorded run by run (the app's tracker replay tests):
a clip made of the first chosen crop drifting through a 320 x 240 frame, a blank frame and the
crop again, and one whole-photo search of the last chosen crop in a 240 x 320 frame.
"""

import argparse
import shutil
from pathlib import Path

import numpy as np

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import atomic_path
from pose.params import load_params
from pose.data.samples import read_split


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--tflite", required=True, help="folder with <variant>.tflite and <variant>.json")
    parser.add_argument("--samples", required=True)
    parser.add_argument("--assets", required=True, help="app assets folder: pose_model.tflite and pose_model.json go here")
    parser.add_argument("--golden", required=True, help="app test resources folder for golden vectors")
    args = parser.parse_args()

    params = load_params(args.params)
    from pose.deploy.export import LiteModel
    from pose.deploy.golden import (TRACKING_FOLDER, place, tracking_frames, write_finding_golden, write_golden,
                                    write_tracking_golden)

    settings = params.deploy
    model_path = Path(args.tflite) / f"{settings.variant}.tflite"
    size = model_path.stat().st_size
    if size > settings.max_bytes:
        raise PoseError(
            f"{model_path} is {size:,} bytes, over deploy.max_bytes = {settings.max_bytes:,}; deploy the int8 "
            "variant or a smaller backbone."
        )
    assets = Path(args.assets)
    assets.mkdir(parents=True, exist_ok=True)
    for suffix in (".tflite", ".json"):
        with atomic_path(assets / f"pose_model{suffix}") as temporary:
            shutil.copyfile(model_path.with_suffix(suffix), temporary)
    test = read_split(args.samples, "test")
    chosen = np.linspace(0, len(test["images"]) - 1, settings.golden_count).round().astype(int)
    with atomic_path(args.golden) as folder:
        model = LiteModel(model_path, threads=1)
        names = write_golden(model, test["images"][chosen], test["image"][chosen], folder)
        crops = test["images"][chosen]
        write_tracking_golden(model, tracking_frames(crops[0]), Path(folder) / TRACKING_FOLDER, "sequence")
        write_finding_golden(model, place(crops[-1], 240, 320, 1.2, 40, 90), Path(folder) / TRACKING_FOLDER, "photo")
    print(f"deployed {model_path} ({size / 1e6:.2f} MB) to {assets}; golden vectors for {', '.join(names)} "
          f"and a tracking sequence")


if __name__ == "__main__":
    main()
