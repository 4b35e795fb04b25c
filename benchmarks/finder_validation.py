"""Choose the person finder's settings on the validation split: whole photos in, nothing from the labels.

For every combination of ``passes``, ``crop_margin`` and ``joint_threshold`` it runs
:func:`pose.inference.person.find_person` (the path `pose predict` runs) with a TFLite model on
the validation persons' whole photos, every pass run (``settle_iou`` 1), and reports PCK@0.2 over
the 12 limb joints. With the best margin and threshold it then measures how long a search should
be: for each most-passes and ``settle_iou`` (a search stops once its next crop overlaps the last
by that much), PCK@0.2 limbs12 and the mean model runs on the validation photos and on canvases
2x and 3x their size (the zoomed-out protocol, the validation photos as subjects and mosaic).
Then, with the settings chosen, it compares the person score of the validation persons with that of frames
holding nobody (mosaics of patches of the validation photos, as the zoomed-out canvases'
backgrounds, plus uniform, noise and gradient frames) and reports how many of each a person
threshold keeps. Last, several people: :func:`pose.inference.person.find_people` on composites of
two validation photos side by side, per extra-person threshold. The test split is never touched.

    stages/python benchmarks/finder_validation.py [--model models/tflite/int8.tflite] [--out reports/finder_validation.json]

With ``--only-settings`` it scores params' inference settings alone on the three framings (whole
photos and the 2x / 3x canvases): the whole-photo figure a training recipe is chosen by;
``--passes N`` and ``--mirror on|off`` change that row's most passes and mirrored last pass;
``--canvas-draws K`` (default 2) also scores the canvases placed with seeds ``seed + 1`` ..
``seed + K - 1``: one draw alone moves the three-framing mean by about a point (docs/training.md).
"""

import argparse
import dataclasses
import itertools
import time

import numpy as np

from pose.cli import user_errors_exit
from pose.evaluation.scoring import ZOOM_FACTORS
from pose.fileio import write_json
from pose.params import load_params

PASSES = (1, 2, 3)
MARGIN_PASSES = 2  # the crop margin and joint threshold are chosen at two passes, the first crop's framing
SEARCH_PASSES = (2, 3, 4)  # most runs per search: 4 bounds a search at about 20 ms on one core (int8)
SETTLE_IOUS = (0.8, 0.85, 0.9, 0.95, 1.0)
SEARCH_TIE = 0.002  # PCK: closer than this (about 30 of the 3 x 6,000 limb joints) is a tie; fewer runs win
CROP_MARGINS = (1.2, 1.3, 1.5)
JOINT_THRESHOLDS = (0.1, 0.2, 0.3)
PERSON_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
EXTRA_PERSON_THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
SEVERAL_HEIGHT = 300  # pixels: both photos of a composite are scaled to this height
MATCH_IOU = 0.3  # a found person is an annotated one when their joint boxes overlap this much
CANVAS_DRAWS = 2  # --only-settings: canvas placements scored (one draw moves the mean by about a point)


def side_by_side(first, second, height=SEVERAL_HEIGHT):
    """Two photos scaled to ``height`` and put side by side: (frame, [(x scale, y scale, x offset) per photo])."""
    import cv2

    parts, placements, offset = [], [], 0
    for photo in (first, second):
        scale = height / photo.shape[0]
        width = max(1, round(photo.shape[1] * scale))
        parts.append(cv2.resize(photo, (width, height), interpolation=cv2.INTER_AREA))
        placements.append((width / photo.shape[1], scale, offset))
        offset += width
    return np.hstack(parts), placements


def matched(found, truths, settings):
    """How many annotated persons (list of ((K, 2) frame pixels, (K,) labeled)) were found, each by one found person.

    Found means detected, not accurate (PCK measures that): the found person's confident-joint box
    and the annotated labeled-joint box overlap by at least ``MATCH_IOU`` (intersection over union).
    """
    from pose.inference.person import _box, _overlap

    used, count = set(), 0
    for keypoints, labeled in truths:
        truth_box = np.concatenate([keypoints[labeled].min(axis=0), keypoints[labeled].max(axis=0)])
        for index, person in enumerate(found):
            if index not in used and _overlap(_box(person, settings), truth_box) >= MATCH_IOU:
                used.add(index)
                count += 1
                break
    return count


def grouped_peaks_people(model, frame_rgb, settings, max_people=6, overlap=0.5):
    """The previous design of find_people, the baseline: one crop per skeleton of the whole-frame pass, duplicates merged.

    The whole frame's heatmaps have a peak per joint per person; :func:`pose.inference.multiperson.detect_people`
    groups the peaks into skeletons, and each skeleton with enough confident joints gets its own
    crop pass. Two results whose joint boxes overlap by more than ``overlap`` (intersection over
    union) are one person: the higher score stays. Returns the people found, strongest first.
    """
    from pose.codec.heatmaps import heatmap_to_crop
    from pose.inference.multiperson import detect_people
    from pose.inference.person import (
        _box,
        _overlap,
        _person,
        box_affine,
        letterbox_affine,
        refine,
    )
    from pose.inference.photo import letterbox, unzoom

    meta = model.metadata
    width, height, stride = meta["input"]["width"], meta["input"]["height"], meta["output"]["stride"]
    image, zoom = letterbox(frame_rgb, width, height)
    whole_frame = letterbox_affine(zoom)
    heatmaps = model(image[None])[0]  # (h, w, K): a peak per joint per person
    groups = detect_people(heatmaps, settings.joint_threshold, radius=2, max_bone=0.3 * max(heatmaps.shape[:2]))
    candidates = []
    for group in groups[:max_people]:
        labeled = ~np.isnan(group[:, 0])
        keypoints = np.where(labeled[:, None], unzoom(heatmap_to_crop(np.nan_to_num(group[:, :2]), stride), zoom), 0.0)
        confidence = np.where(labeled, group[:, 2], 0.0)
        runs = [whole_frame]
        person = _person(keypoints, confidence, whole_frame, settings, runs)  # one pass: the whole frame's skeleton
        crop = box_affine(keypoints, confidence, settings, width, height)
        for _ in range(settings.passes - 1):
            if crop is None:
                break
            runs.append(crop)
            keypoints, confidence = refine(model, frame_rgb, crop)
            person = _person(keypoints, confidence, crop, settings, runs)
            crop = box_affine(keypoints, confidence, settings, width, height)
        if person.found:
            candidates.append(person)
    people = []
    for person in sorted(candidates, key=lambda person: -person.score):
        if all(_overlap(_box(person, settings), _box(kept, settings)) <= overlap for kept in people):
            people.append(person)
    return people


def validation_framings(val, photos, seed):
    """The validation persons framed three ways: {framing: (frame by photo name, label arrays in that frame)}.

    ``whole``: the photos as they are; ``zoom2x`` / ``zoom3x``: the zoomed-out protocol
    (:mod:`pose.evaluation.canvas`) with the validation photos as both subjects and mosaic.
    """
    from pose.evaluation.canvas import ZoomedOutPhotos, shifted

    framings = {"whole": (photos.__getitem__, val)}
    for factor in ZOOM_FACTORS:
        canvases = ZoomedOutPhotos(photos.__getitem__, list(photos), factor, seed)
        framings[f"zoom{factor}x"] = (canvases, shifted(val, canvases.offsets(val["image"])))
    return framings


def framing_scores(model, settings, framings, dataset):
    """PCK@0.2 limbs12 and mean model runs per search of ``find_person`` with ``settings``, per framing.

    Returns {"<framing>_pck@0.2_limbs12": fraction, "<framing>_mean_runs": runs, ...,
    "mean_pck@0.2_limbs12": the mean over the framings}.
    """
    from pose.evaluation.scoring import score, whole_photo_keypoints

    row = {}
    for framing, (frames, arrays) in framings.items():
        # as evaluate scores: a person the search did not find counts as all joints wrong
        predicted, _, people = whole_photo_keypoints(model, frames, arrays["image"], settings)
        metrics, _ = score(predicted, arrays, dataset)
        row[f"{framing}_pck@0.2_limbs12"] = metrics[f"{dataset}_pck@0.2_limbs12"]
        row[f"{framing}_mean_runs"] = round(float(np.mean([len(person.runs) for person in people.values()])), 3)
    row["mean_pck@0.2_limbs12"] = float(np.mean([row[f"{framing}_pck@0.2_limbs12"] for framing in framings]))
    return row


def describe(row, framings):
    """One line of a framing_scores row: PCK and runs per framing."""
    return "PCK@0.2 limbs12 " + ", ".join(
        f"{framing} {row[f'{framing}_pck@0.2_limbs12']:.4f} ({row[f'{framing}_mean_runs']:.2f} runs)"
        for framing in framings)


def search_length(model, settings, val, photos, dataset, seed):
    """PCK@0.2 limbs12 and mean model runs per search for each (passes, settle_iou), whole photos and canvases.

    The framings are :func:`validation_framings`'. Choice: the fewest runs on whole photos among
    the settings within ``SEARCH_TIE`` of the highest mean PCK over the three framings (whole, 2x, 3x).
    """
    framings = validation_framings(val, photos, seed)
    rows = []
    for passes, settle_iou in itertools.product(SEARCH_PASSES, SETTLE_IOUS):
        if passes == 2 and settle_iou != 1.0:
            continue  # the first crop always runs: two passes never stop early
        tried = dataclasses.replace(settings, passes=passes, settle_iou=settle_iou, person_threshold=0.0)
        row = {"passes": passes, "settle_iou": settle_iou,
               **framing_scores(model, tried, framings, dataset)}
        rows.append(row)
        print(f"passes {passes}, settle IoU {settle_iou}: {describe(row, framings)}")
    top = max(row["mean_pck@0.2_limbs12"] for row in rows)
    close = [row for row in rows if row["mean_pck@0.2_limbs12"] >= top - SEARCH_TIE]
    return {"rows": rows, "best": min(close, key=lambda row: row["whole_mean_runs"])}


def several_people(model, settings, val, photos, pairs, seed):
    """find_people on composites of two validation photos (two annotated persons) and on the photos alone (one).

    Per extra-person threshold: the share of annotated persons found in the composites (recall),
    and the people found beyond the annotated one per single photo (bystanders the labels lack, or
    false finds: a proxy of precision). The grouping of the whole frame's peaks
    (:func:`grouped_peaks_people`, the previous design) is measured beside them.
    """
    from pose.data.crop import apply_affine
    from pose.inference.person import find_people

    rng = np.random.default_rng([seed, 5])
    persons = {}
    for index, name in enumerate(val["image"]):
        truth = apply_affine(val["keypoints"][index], val["crop_to_image"][index])
        persons.setdefault(name, (truth, val["labeled"][index]))  # one annotated person per LSPET photo
    names = list(persons)
    chosen = [tuple(rng.choice(len(names), 2, replace=False)) for _ in range(pairs)]
    composites = []
    for first, second in chosen:
        frame, placements = side_by_side(photos[names[first]], photos[names[second]])
        truths = []
        for name, (sx, sy, offset) in zip((names[first], names[second]), placements):
            keypoints, labeled = persons[name]
            truths.append((keypoints * [sx, sy] + [offset + 0.5 * sx - 0.5, 0.5 * sy - 0.5], labeled))
        composites.append((frame, truths))
    singles = [(photos[name], [persons[name]]) for name in names]

    def measure(finder):
        recall = np.mean([matched(finder(frame), truths, settings) / 2 for frame, truths in composites])
        extra = np.mean([max(len(finder(frame)) - 1, 0) for frame, _ in singles])
        return {"composites_recall": round(float(recall), 4), "single_photo_extra_people": round(float(extra), 4)}

    rows = [{"design": "grouped peaks", **measure(lambda frame: grouped_peaks_people(model, frame, settings))}]
    for one_skeleton, design in ((False, "search and black out"), (True, "strongest skeleton, black out")):
        for threshold in EXTRA_PERSON_THRESHOLDS:
            tuned = dataclasses.replace(settings, extra_person_threshold=threshold)
            rows.append({"design": design, "extra_person_threshold": threshold,
                         **measure(lambda frame, tuned=tuned, skeleton=one_skeleton:
                                   find_people(model, frame, tuned, one_skeleton=skeleton))})
    for row in rows:
        print(f"several people, {row['design']} {row.get('extra_person_threshold', '')}: "
              f"{row['composites_recall']:.1%} of the composites' persons found, "
              f"{row['single_photo_extra_people']:.3f} extra people per single photo")
    return {"composites": len(composites), "single_photos": len(singles), "rows": rows}


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
    parser.add_argument("--pairs", type=int, default=200, help="two-photo composites for several people")
    parser.add_argument("--only-several", action="store_true", help="skip the single-person grid (keeps its report)")
    parser.add_argument("--only-settings", action="store_true",
                        help="score params' inference settings alone on the three framings and write that row: "
                             "how a training recipe is compared on whole photos (docs/training.md)")
    parser.add_argument("--passes", type=int, help="with --only-settings: this inference.passes instead of params'")
    parser.add_argument("--mirror", choices=("on", "off"),
                        help="with --only-settings: inference.mirror_last_pass on or off instead of params'")
    parser.add_argument("--canvas-draws", type=int, default=CANVAS_DRAWS,
                        help="with --only-settings: canvas placements scored, seeds params.seed, params.seed + 1, ...")
    parser.add_argument("--out", default="reports/finder_validation.json")
    args = parser.parse_args()
    if (args.passes is not None or args.mirror or args.canvas_draws != CANVAS_DRAWS) and not args.only_settings:
        parser.error("--passes, --mirror and --canvas-draws change the one row --only-settings scores; "
                     "the full run tries its own grid")
    if args.canvas_draws < 1:
        parser.error("--canvas-draws must be at least 1")

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
    if args.passes is not None:
        base = dataclasses.replace(base, passes=args.passes)
    if args.mirror:
        base = dataclasses.replace(base, mirror_last_pass=args.mirror == "on")
    if args.only_settings:
        framings = validation_framings(val, photos, params.seed)
        row = framing_scores(model, base, framings, dataset)
        print(f"passes {base.passes}, settle IoU {base.settle_iou}, mirrored last pass {base.mirror_last_pass}: "
              f"{describe(row, framings)}")
        draws = [{"canvas_seed": params.seed, **{key: value for key, value in row.items() if not key.startswith("whole_")}}]
        for canvas_seed in range(params.seed + 1, params.seed + args.canvas_draws):
            canvases = {name: framing for name, framing in validation_framings(val, photos, canvas_seed).items()
                        if name != "whole"}  # the whole photos do not depend on the seed: scored once
            draw = framing_scores(model, base, canvases, dataset)
            draw["mean_pck@0.2_limbs12"] = float(np.mean(
                [row["whole_pck@0.2_limbs12"], *(draw[f"{name}_pck@0.2_limbs12"] for name in canvases)]))
            draws.append({"canvas_seed": canvas_seed, **draw})
            print(f"canvases placed with seed {canvas_seed}: {describe(draw, canvases)}")
        over_draws = float(np.mean([draw["mean_pck@0.2_limbs12"] for draw in draws]))
        per_draw = ", ".join(f"{draw['mean_pck@0.2_limbs12']:.4f}" for draw in draws)
        print(f"mean of whole / 2x / 3x: {per_draw} per canvas draw, {over_draws:.4f} over the {len(draws)} draws")
        write_json(args.out, {"model": args.model, "dataset": dataset, "split": "val", "persons": len(val["image"]),
                              "inference": dataclasses.asdict(base), **row, "canvas_draws": draws,
                              "mean_over_canvas_draws_pck@0.2_limbs12": over_draws})
        print(f"wrote {args.out}")
        return
    if args.only_several:
        import json

        report = json.loads(Path(args.out).read_text())
        report["several_people"] = several_people(model, base, val, photos, args.pairs, params.seed)
        write_json(args.out, report)
        print(f"wrote {args.out}")
        return
    grid = []
    for passes, margin, joint_threshold in itertools.product(PASSES, CROP_MARGINS, JOINT_THRESHOLDS):
        if passes == 1 and (margin, joint_threshold) != (CROP_MARGINS[0], JOINT_THRESHOLDS[0]):
            continue  # one pass uses neither
        settings = dataclasses.replace(base, passes=passes, crop_margin=margin, joint_threshold=joint_threshold,
                                       person_threshold=0.0, settle_iou=1.0)
        people = {name: find_person(model, photo, settings) for name, photo in photos.items()}
        predicted = np.stack([people[name].keypoints for name in val["image"]])
        metrics, _ = score(predicted, val, dataset)
        row = {"passes": passes, "crop_margin": margin, "joint_threshold": joint_threshold,
               "pck@0.2_limbs12": metrics[f"{dataset}_pck@0.2_limbs12"], "pck@0.2_all": metrics[f"{dataset}_pck@0.2_all"]}
        grid.append(row)
        print(f"passes {passes}, crop margin {margin}, joint threshold {joint_threshold}: "
              f"PCK@0.2 limbs12 {row['pck@0.2_limbs12']:.4f}")
    best = max((row for row in grid if row["passes"] == MARGIN_PASSES), key=lambda row: row["pck@0.2_limbs12"])
    chosen = dataclasses.replace(base, crop_margin=best["crop_margin"], joint_threshold=best["joint_threshold"],
                                 person_threshold=0.0)
    length = search_length(model, chosen, val, photos, dataset, params.seed)
    chosen = dataclasses.replace(chosen, passes=length["best"]["passes"], settle_iou=length["best"]["settle_iou"])
    person_scores = np.array([find_person(model, photo, chosen).score for photo in photos.values()])
    nobody = np.array([find_person(model, frame, chosen).score
                       for frame in empty_frames(list(photos.values()), args.empty, params.seed)])
    thresholds = [{"person_threshold": t, "val_photos_kept": float((person_scores >= t).mean()),
                   "empty_frames_with_a_skeleton": float((nobody >= t).mean())} for t in PERSON_THRESHOLDS]
    for row in thresholds:
        print(f"person threshold {row['person_threshold']}: keeps {row['val_photos_kept']:.1%} of the validation "
              f"photos, draws a skeleton on {row['empty_frames_with_a_skeleton']:.1%} of the empty frames")
    report = {"model": args.model, "dataset": dataset, "split": "val", "persons": len(val["image"]),
              "photos": len(photos), "grid": grid, "best_at_two_passes": best, "search_length": length,
              "person_score_quantiles_val": np.quantile(person_scores, [0.01, 0.05, 0.5]).round(4).tolist(),
              "person_score_quantiles_empty": np.quantile(nobody, [0.5, 0.95, 0.99]).round(4).tolist(),
              "empty_frames": len(nobody), "thresholds": thresholds,
              "several_people": several_people(model, base, val, photos, args.pairs, params.seed),
              "wall_seconds": round(time.perf_counter() - started, 1)}
    write_json(args.out, report)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
