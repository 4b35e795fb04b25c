"""evaluate stage: score the trained model on every test set present; metrics, plot data and figures in reports/.

One metrics section per dataset (keys ``<dataset>_<metric>_<group>``): trained on one, tested on
another. Decoder comparisons, plot data and example figures are for the training dataset.
"""

import argparse
import csv
from pathlib import Path

import numpy as np

from pose.cli import user_errors_exit
from pose.errors import PoseError
from pose.fileio import atomic_path, write_json
from pose.joints import JOINT_NAMES
from pose.params import load_params
from pose.testsets import present_testsets, read_testset


def write_csv(path, rows):
    with atomic_path(path) as temporary, open(temporary, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def draw_multi_person(model, params, raw, path):
    """Run the trained weights on whole photos and draw every skeleton found."""
    from pose import drawing, evaluation
    from pose.samples import read_rgb

    settings = params.evaluate
    photos, people = [], []
    for name in settings.multi_person_images:
        photo = read_rgb(Path(raw) / name)
        if photo is None:
            raise PoseError(f"evaluate.multi_person_images: {Path(raw) / name} cannot be read; fix or remove it.")
        photos.append(photo)
        people.append(evaluation.people_in_photo(model, params.train.backbone, photo, params.geometry.output_stride,
                                                 settings.multi_person_size, settings.multi_person_threshold))
    drawing.multi_person_grid(photos, people, [Path(name).name for name in settings.multi_person_images], path)


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--testsets", required=True, help="folder of per-dataset test sets (testsets stage)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--metrics", required=True, help="flat metrics JSON")
    parser.add_argument("--plots", required=True, help="folder for plot CSVs")
    parser.add_argument("--figures", required=True, help="folder for PNG figures")
    parser.add_argument("--raw", required=True, help="dataset folder, for the several-people photos")
    args = parser.parse_args()

    params = load_params(args.params)
    import keras

    from pose import drawing, evaluation
    from pose.crop import apply_affine, invert_affine
    from pose.datasets import get_dataset

    settings, stride = params.evaluate, params.geometry.output_stride
    dataset = params.data.dataset
    model = keras.saving.load_model(args.model, compile=False)
    metrics, curves = {}, {}
    for name in present_testsets(args.testsets):
        testset = read_testset(Path(args.testsets) / name)
        print(f"{name}: predicting {len(testset['images'])} test crops (flip test {'on' if settings.flip_test else 'off'})")
        maps = evaluation.predict_heatmaps(lambda batch: model.predict_on_batch(batch), testset["images"],
                                           settings.batch_size, settings.flip_test)
        keypoints, _ = evaluation.keypoints_in_photo(maps, settings.decoder, stride, testset["crop_to_image"])
        scores, order = evaluation.score(keypoints, testset, name, head_boxes=testset.get("head_boxes"),
                                         box_size=testset.get("box_size"),
                                         head_size_from_box=get_dataset(name).head_size_from_box)
        metrics.update(scores)
        curves[name] = evaluation.curve_rows(keypoints, testset, name)
        print(f"{name}: " + ", ".join(f"{key[len(name) + 1:]} {value:.3f}" for key, value in scores.items()
                                      if key.endswith(("_limbs12", "_mpii")) and "@" in key))
        if name == dataset:
            arrays, heatmaps, predicted, ranking = testset, maps, keypoints, order
    if dataset not in curves:
        raise PoseError(f"{args.testsets} has no test set of the training dataset {dataset}; run `dvc repro testsets`.")
    for (method, output), value in evaluation.compare_decoders(heatmaps, arrays, stride).items():
        metrics[f"{dataset}_pck@0.2_all_{output}_{method}"] = value
        if output == "float":
            metrics[f"decode_ms_one_image_{method}"] = evaluation.decode_latency_ms(heatmaps, method)
    decode_ms = metrics[f"decode_ms_one_image_{settings.decoder}"]
    write_json(args.metrics, metrics)

    plots, figures = Path(args.plots), Path(args.figures)
    curve = curves[dataset]
    write_csv(plots / "pck_curve.csv", curve)
    joint_rows = [{"joint": name, "pck": metrics[f"{dataset}_pck@0.2_{name}"]} for name in JOINT_NAMES
                  if f"{dataset}_pck@0.2_{name}" in metrics]  # a joint the dataset never labels has no score
    write_csv(plots / "per_joint_pck.csv", joint_rows)

    figures.mkdir(parents=True, exist_ok=True)
    drawing.pck_curves({f"{name} test ({metrics[f'{name}_persons']:,} persons)": ([r["alpha"] for r in rows],
                                                                                [r["pck"] for r in rows])
                        for name, rows in curves.items()}, figures / "pck_curve.png")
    drawing.per_joint_bars({r["joint"]: r["pck"] for r in joint_rows}, f"{dataset} test, per joint", figures / "per_joint_pck.png")
    chosen = evaluation.example_indices(ranking)
    to_crop = np.stack([invert_affine(a) for a in arrays["crop_to_image"][chosen]])
    drawing.example_grid(
        arrays["images"][chosen], apply_affine(predicted[chosen], to_crop), arrays["keypoints"][chosen],
        arrays["labeled"][chosen], ["best", "median", "worst"],
        [f"{Path(arrays['image'][i]).name}  err {ranking[i]:.2f} torso" for i in chosen], figures / "examples.png",
    )
    if settings.multi_person_images:
        draw_multi_person(model, params, args.raw, figures / "multi_person.png")
    print(f"{dataset} test: PCK@0.2 all {metrics[f'{dataset}_pck@0.2_all']:.3f}, "
          f"limbs12 {metrics[f'{dataset}_pck@0.2_limbs12']:.3f}; decode {decode_ms:.2f} ms per image "
          f"({heatmaps.shape[2]}x{heatmaps.shape[1]}x{heatmaps.shape[3]} maps)")


if __name__ == "__main__":
    main()
