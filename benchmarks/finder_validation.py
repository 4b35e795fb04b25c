"""Choose the person finder's settings on the validation split: whole photos in, nothing from the labels.

For every combination of ``passes``, ``crop_margin`` and ``joint_threshold`` it runs
:func:`pose.inference.person.find_person` (the path `pose predict` runs) with a TFLite model on
the validation persons' whole photos and reports PCK@0.2 over the 12 limb joints. Then, with the
best combination, it compares the person score of the validation persons with that of frames
holding nobody (mosaics of patches of the validation photos, as the zoomed-out canvases'
backgrounds, plus uniform, noise and gradient frames) and reports how many of each a person
threshold keeps. The test split is never touched.

    stages/python benchmarks/finder_validation.py [--model models/tflite/int8.tflite] [--out reports/finder_validation.json]
"""

import argparse
import dataclasses
import itertools
import time

import numpy as np

from pose.cli import user_errors_exit
from pose.fileio import write_json
from pose.params import load_params

PASSES = (1, 2, 3)
CROP_MARGINS = (1.2, 1.3, 1.5)
JOINT_THRESHOLDS = (0.1, 0.2, 0.3)
PERSON_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def empty_frames(photos, count, seed):
    """Frames with nobody in them, (H, W, 3) uint8: patch mosaics of real photos, uniform, noise, gradients."""
    from pose.evaluation.canvas import patch_pool

    rng = np.random.default_rng([seed, 3])
    pool = patch_pool(photos, seed)
    frames = []
    for index in range(count):
        height, width = int(rng.integers(200, 400)), int(rng.integers(200, 400))
        kind = index % 4
        if kind == 0:
            rows, columns = -(-height // pool.shape[1]), -(-width // pool.shape[1])
            tiles = pool[rng.integers(0, len(pool), rows * columns)]
            mosaic = tiles.reshape(rows, columns, *pool.shape[1:]).transpose(0, 2, 1, 3, 4)
            frames.append(np.ascontiguousarray(mosaic.reshape(rows * pool.shape[1], columns * pool.shape[1], 3)
                                               [:height, :width]))
        elif kind == 1:
            frames.append(np.full((height, width, 3), rng.integers(0, 256, 3), np.uint8))
        elif kind == 2:
            frames.append(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))
        else:
            ramp = np.linspace(0, 1, width)[None, :, None] * rng.uniform(0, 255, 3) + \
                np.linspace(0, 1, height)[:, None, None] * rng.uniform(0, 255, 3)
            frames.append(np.clip(ramp / 2, 0, 255).astype(np.uint8))
    return frames


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples", help="its val split names the persons and photos")
    parser.add_argument("--raw", default="data/raw", help="folder the samples' image paths are relative to")
    parser.add_argument("--model", default="models/tflite/int8.tflite")
    parser.add_argument("--empty", type=int, default=200, help="frames holding nobody")
    parser.add_argument("--out", default="reports/finder_validation.json")
    args = parser.parse_args()

    params = load_params(args.params)
    from pathlib import Path

    from pose.data.samples import read_rgb, read_split
    from pose.deploy.export import LiteModel
    from pose.evaluation.scoring import score
    from pose.inference.person import find_person

    started = time.perf_counter()
    val = read_split(args.samples, "val")
    photos = {name: read_rgb(Path(args.raw) / name) for name in dict.fromkeys(val["image"].tolist())}
    model = LiteModel(args.model, threads=2)
    dataset = params.data.dataset
    base = params.inference
    grid = []
    for passes, margin, joint_threshold in itertools.product(PASSES, CROP_MARGINS, JOINT_THRESHOLDS):
        if passes == 1 and (margin, joint_threshold) != (CROP_MARGINS[0], JOINT_THRESHOLDS[0]):
            continue  # one pass uses neither
        settings = dataclasses.replace(base, passes=passes, crop_margin=margin, joint_threshold=joint_threshold,
                                       person_threshold=0.0)
        people = {name: find_person(model, photo, settings) for name, photo in photos.items()}
        predicted = np.stack([people[name].keypoints for name in val["image"]])
        metrics, _ = score(predicted, val, dataset)
        row = {"passes": passes, "crop_margin": margin, "joint_threshold": joint_threshold,
               "pck@0.2_limbs12": metrics[f"{dataset}_pck@0.2_limbs12"], "pck@0.2_all": metrics[f"{dataset}_pck@0.2_all"]}
        grid.append(row)
        print(f"passes {passes}, crop margin {margin}, joint threshold {joint_threshold}: "
              f"PCK@0.2 limbs12 {row['pck@0.2_limbs12']:.4f}")
    best = max((row for row in grid if row["passes"] == base.passes), key=lambda row: row["pck@0.2_limbs12"])
    chosen = dataclasses.replace(base, crop_margin=best["crop_margin"], joint_threshold=best["joint_threshold"],
                                 person_threshold=0.0)
    person_scores = np.array([find_person(model, photo, chosen).score for photo in photos.values()])
    nobody = np.array([find_person(model, frame, chosen).score
                       for frame in empty_frames(list(photos.values()), args.empty, params.seed)])
    thresholds = [{"person_threshold": t, "val_photos_kept": float((person_scores >= t).mean()),
                   "empty_frames_with_a_skeleton": float((nobody >= t).mean())} for t in PERSON_THRESHOLDS]
    for row in thresholds:
        print(f"person threshold {row['person_threshold']}: keeps {row['val_photos_kept']:.1%} of the validation "
              f"photos, draws a skeleton on {row['empty_frames_with_a_skeleton']:.1%} of the empty frames")
    report = {"model": args.model, "dataset": dataset, "split": "val", "persons": len(val["image"]),
              "photos": len(photos), "grid": grid, "best_at_default_passes": best,
              "person_score_quantiles_val": np.quantile(person_scores, [0.01, 0.05, 0.5]).round(4).tolist(),
              "person_score_quantiles_empty": np.quantile(nobody, [0.5, 0.95, 0.99]).round(4).tolist(),
              "empty_frames": len(nobody), "thresholds": thresholds,
              "wall_seconds": round(time.perf_counter() - started, 1)}
    write_json(args.out, report)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
