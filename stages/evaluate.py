"""evaluate stage: score the trained model on every test set present; metrics, plot data and figures in reports/.

Per dataset, two sections: ``<dataset>_<metric>_<group>`` from the whole photos through the
function `python -m pose predict` runs (nothing taken from the labels: the headline), and
``<dataset>-gtcrop_<metric>_<group>`` from crops made around the labeled joints. Every dataset
the model trained on is scored, each in its own sections. Decoder comparisons, per-joint plot
data and example figures are for the training dataset (the first listed, with several).
"""

import argparse
import csv
import functools
from pathlib import Path

import numpy as np

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import atomic_path, write_json
from pose.joints import JOINT_NAMES
from pose.params import load_params
from pose.data.testsets import photo_path, present_testsets, read_testset


def write_csv(path, rows):
    with atomic_path(path) as temporary, open(temporary, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _photo(folder, image):
    from pose.data.samples import read_rgb

    photo = read_rgb(photo_path(folder, image))
    if photo is None:
        raise PoseError(f"{photo_path(folder, image)} cannot be read; run `dvc repro -f testsets` to rebuild the test sets.")
    return photo


def draw_multi_person(runner, names, raw, path):
    """Every person found (:func:`pose.inference.person.find_people`) in the named whole photos, drawn."""
    from pose.data.samples import read_rgb
    from pose.inference.person import find_people
    from pose.reports import figures as drawing

    photos, people = [], []
    for name in names:
        photo = read_rgb(Path(raw) / name)
        if photo is None:
            raise PoseError(f"evaluate.multi_person_images: {Path(raw) / name} cannot be read; fix or remove it.")
        photos.append(photo)
        found = find_people(runner, photo)
        shown = [np.where((person.confidence >= runner.metadata["person_finder"]["joint_threshold"])[:, None],
                          np.column_stack([person.keypoints, person.confidence]), np.nan) for person in found]
        people.append(np.stack(shown) if shown else np.zeros((0, len(JOINT_NAMES), 3)))
    drawing.multi_person_grid(photos, people, [Path(name).name for name in names], path)


def count_people(runner, testset, photos):
    """Per test set: photos, people annotated in them, people :func:`pose.inference.person.find_people` finds
    (several photos' model runs batched together: :func:`pose.inference.person.find_people_in_each`)."""
    from pose.inference.person import find_people_in_each

    names, annotated = np.unique(testset["image"], return_counts=True)
    found = [len(people) for people in find_people_in_each(runner, (photos(name) for name in names))]
    return {"photos": int(len(names)), "people_annotated": int(annotated.sum()), "people_found": int(sum(found)),
            "photos_with_several_annotated": int((annotated > 1).sum()),
            "people_found_in_those": int(sum(n for n, a in zip(found, annotated) if a > 1)),
            "people_annotated_in_those": int(annotated[annotated > 1].sum())}


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--testsets", required=True, help="folder of per-dataset test sets (testsets stage)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--metrics", required=True, help="flat metrics JSON")
    parser.add_argument("--plots", required=True, help="folder for plot CSVs")
    parser.add_argument("--figures", required=True, help="folder for PNG figures")
    parser.add_argument("--raw", required=True, help="training datasets' folder, for the several-people photos")
    args = parser.parse_args()

    params = load_params(args.params)
    import keras

    from pose.evaluation import scoring as evaluation
    from pose.reports import figures as drawing
    from pose.data.crop import apply_affine, invert_affine
    from pose.data.datasets import get_dataset
    from pose.data.datasets.mixture import dataset_folder
    from pose.inference.person import KerasRunner

    settings, stride = params.evaluate, params.geometry.output_stride
    dataset = params.data.primary
    model = keras.saving.load_model(args.model, compile=False)
    runner = KerasRunner(model, stride, settings.decoder, params.inference)
    metrics, curves = {}, {}
    for name in present_testsets(args.testsets):
        folder = Path(args.testsets) / name
        testset = read_testset(folder)
        references = dict(head_boxes=testset.get("head_boxes"), box_size=testset.get("box_size"),
                          head_size_from_box=get_dataset(name).head_size_from_box)
        print(f"{name}: {len(testset['images'])} test persons: crops from their labels "
              f"(flip test {'on' if settings.flip_test else 'off'}), then whole photos")
        maps = evaluation.predict_heatmaps(lambda batch: model.predict_on_batch(batch), testset["images"],
                                           settings.batch_size, settings.flip_test)
        from_labels, _ = evaluation.keypoints_in_photo(maps, settings.decoder, stride, testset["crop_to_image"])
        gt_scores, _ = evaluation.score(from_labels, testset, name + evaluation.GT_CROP, **references)
        photos = functools.lru_cache(maxsize=None)(lambda image, folder=folder: _photo(folder, image))
        scores, predicted, order = evaluation.whole_photo_scores(runner, testset, photos, name, params.seed, references)
        metrics.update(scores)
        people = count_people(runner, testset, photos)
        metrics.update({f"{name}_{key}": value for key, value in people.items()})
        print(f"{name}: {people['people_found']} people found in {people['photos']} photos with "
              f"{people['people_annotated']} annotated ({people['people_found_in_those']} found where "
              f"{people['people_annotated_in_those']} are annotated in {people['photos_with_several_annotated']} photos "
              "with several)")
        metrics.update(gt_scores)
        curves[name] = evaluation.curve_rows(predicted, testset, f"{name} whole photo")
        curves[name + evaluation.GT_CROP] = evaluation.curve_rows(from_labels, testset, f"{name} crop from labels")
        for label, prefix, values in (("whole photo", name, scores), ("crop from labels", name + evaluation.GT_CROP,
                                                                       gt_scores)):
            print(f"{name} {label}: " + ", ".join(f"{key[len(prefix) + 1:]} {value:.3f}" for key, value in values.items()
                                                  if key.startswith(prefix + "_") and key.endswith("_limbs12")))
        for factor in evaluation.ZOOM_FACTORS:
            key = f"{name}{evaluation.protocol_name(factor)}_pck@0.2_limbs12"
            print(f"{name} whole photo in a {factor}x canvas: pck@0.2_limbs12 {scores[key]:.3f}")
        if name == dataset:
            arrays, heatmaps, ranked, ranking = testset, maps, predicted, order
    if dataset not in curves:
        raise PoseError(f"{args.testsets} has no test set of the training dataset {dataset}; run `dvc repro testsets`.")
    for (method, output), value in evaluation.compare_decoders(heatmaps, arrays, stride).items():
        metrics[f"{dataset}{evaluation.GT_CROP}_pck@0.2_all_{output}_{method}"] = value
        if output == "float":
            metrics[f"decode_ms_one_image_{method}"] = evaluation.decode_latency_ms(heatmaps, method)
    decode_ms = metrics[f"decode_ms_one_image_{settings.decoder}"]
    write_json(args.metrics, metrics)

    plots, figures = Path(args.plots), Path(args.figures)
    write_csv(plots / "pck_curve.csv", [row for rows in curves.values() for row in rows])
    joint_rows = [{"joint": name, "pck": metrics[f"{dataset}_pck@0.2_{name}"]} for name in JOINT_NAMES
                  if f"{dataset}_pck@0.2_{name}" in metrics]  # a joint the dataset never labels has no score
    write_csv(plots / "per_joint_pck.csv", joint_rows)

    figures.mkdir(parents=True, exist_ok=True)
    drawing.pck_curves({f"{rows[0]['dataset']} ({metrics[f'{name}_persons']:,} test persons)": (
        [r["alpha"] for r in rows], [r["pck"] for r in rows]) for name, rows in curves.items()}, figures / "pck_curve.png")
    drawing.per_joint_bars({r["joint"]: r["pck"] for r in joint_rows}, f"{dataset} test, whole photos, per joint",
                           figures / "per_joint_pck.png")
    chosen = evaluation.example_indices(ranking)
    to_crop = np.stack([invert_affine(a) for a in arrays["crop_to_image"][chosen]])
    drawing.example_grid(
        arrays["images"][chosen], apply_affine(ranked[chosen], to_crop), arrays["keypoints"][chosen],
        arrays["labeled"][chosen], ["best", "median", "worst"],
        [f"{Path(arrays['image'][i]).name}  err {ranking[i]:.2f} torso (whole photo)" for i in chosen],
        figures / "examples.png",
    )
    if settings.multi_person_images:
        draw_multi_person(runner, settings.multi_person_images, dataset_folder(Path(args.raw), params.data.names, dataset),
                          figures / "multi_person.png")
    print(f"{dataset} test, whole photos: PCK@0.2 all {metrics[f'{dataset}_pck@0.2_all']:.3f}, "
          f"limbs12 {metrics[f'{dataset}_pck@0.2_limbs12']:.3f} (crops from labels: limbs12 "
          f"{metrics[f'{dataset}{evaluation.GT_CROP}_pck@0.2_limbs12']:.3f}); decode {decode_ms:.2f} ms per image "
          f"({heatmaps.shape[2]}x{heatmaps.shape[1]}x{heatmaps.shape[3]} maps)")


if __name__ == "__main__":
    main()
