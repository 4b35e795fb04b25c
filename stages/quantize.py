"""quantize stage: float32, float16 and int8 TFLite models, each re-evaluated through LiteRT.

Each variant is scored on the training dataset's test set (the first listed, with several): on whole photos through
:func:`pose.inference.person.find_person` (the path `pose predict` and the app run; keys
``<variant>_pck@0.2_<group>``, with its median time per photo, every model run, crop and decode
included), on the same photos in 2x and 3x canvases (``<variant>_zoom2x_...``), and on the crops
made from the labels (``<variant>_gtcrop_...``), where the int8 accuracy check
(``quantize.max_pck_drop``) compares it with Keras.
"""

import argparse
from pathlib import Path

from pose.cli import user_errors_exit
from pose.fileio import atomic_path, write_json
from pose.params import load_params
from pose.data.samples import CONTEXT_SPLIT, read_rgb, read_split
from pose.data.testsets import photo_path, read_testset
from pose.timing import median_ms, threads_key


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", required=True, help="training crops and their context crops (int8 calibration)")
    parser.add_argument("--testsets", required=True, help="test sets (the training dataset's is scored)")
    parser.add_argument("--model", required=True, help="trained Keras model")
    parser.add_argument("--out", required=True, help="folder receiving <variant>.tflite and <variant>.json")
    parser.add_argument("--report", required=True, help="export metrics JSON")
    args = parser.parse_args()

    params = load_params(args.params)
    import keras

    from pose.deploy import export
    from pose.deploy.calibration import calibration_images
    from pose.evaluation import scoring as evaluation
    from pose.inference.person import find_person

    settings, stride, decoder = params.quantize, params.geometry.output_stride, params.evaluate.decoder
    dataset = params.data.primary
    model = keras.saving.load_model(args.model, compile=False)
    train = read_split(args.samples, "train")
    folder = Path(args.testsets) / dataset
    test = read_testset(folder)
    photos = {name: read_rgb(photo_path(folder, name)) for name in dict.fromkeys(test["image"].tolist())}
    context = read_split(args.samples, CONTEXT_SPLIT) if settings.loose_share > 0 else None
    calibration = calibration_images(train, context, settings.representative_count, settings.loose_share,
                                    params.seed, params.train.augment)

    def gt_crop_pck(predict):
        heatmaps = evaluation.predict_heatmaps(predict, test["images"], batch_size=32)
        predicted, _ = evaluation.keypoints_in_photo(heatmaps, decoder, stride, test["crop_to_image"])
        metrics, _ = evaluation.score(predicted, test, dataset)
        return metrics[f"{dataset}_pck@0.2_all"], metrics[f"{dataset}_pck@0.2_limbs12"]

    keras_all, keras_limbs = gt_crop_pck(lambda batch: model.predict_on_batch(batch))
    report = {"keras_gtcrop_pck@0.2_all": keras_all, "keras_gtcrop_pck@0.2_limbs12": keras_limbs, "decoder": decoder,
              "whole_photo_latency_photos": min(settings.latency_runs, len(photos))}
    print(f"keras, crops from labels: PCK@0.2 all {keras_all:.4f}")
    timed_photos = list(photos.values())[:settings.latency_runs]
    with atomic_path(args.out) as out:
        out.mkdir()
        for variant in export.VARIANTS:
            blob = export.convert(model, variant, calibration)
            (out / f"{variant}.tflite").write_bytes(blob)
            write_json(out / f"{variant}.json", export.metadata(blob, variant, params, args.model))
            lite = export.LiteModel(out / f"{variant}.tflite", threads=2)
            pck_all, pck_limbs = gt_crop_pck(lite)
            report[f"{variant}_gtcrop_pck@0.2_all"] = pck_all
            report[f"{variant}_gtcrop_pck@0.2_limbs12"] = pck_limbs
            report[f"{variant}_gtcrop_pck_drop_all"] = keras_all - pck_all
            whole, _, _ = evaluation.whole_photo_scores(lite, test, photos.__getitem__, dataset, params.seed)
            for protocol in ["", *(evaluation.protocol_name(factor) for factor in evaluation.ZOOM_FACTORS)]:
                for name in ("pck@0.2_all", "pck@0.2_limbs12", "found_fraction"):
                    report[f"{variant}{protocol.replace('-', '_')}_{name}"] = whole[f"{dataset}{protocol}_{name}"]
            report[f"{variant}_size_bytes"] = len(blob)
            for threads in (1, 2):
                timed = export.LiteModel(out / f"{variant}.tflite", threads=threads)
                report[f"{variant}_latency_ms_{threads_key(threads)}"] = export.latency_ms(
                    timed, test["images"][0], runs=settings.latency_runs)
                report[f"{variant}_whole_photo_ms_{threads_key(threads)}"] = median_ms(
                    lambda index: find_person(timed, timed_photos[index % len(timed_photos)]),
                    len(timed_photos), warmup=3)
            print(f"{variant}: {len(blob) / 1e6:.2f} MB; whole photos PCK@0.2 limbs12 "
                  f"{report[f'{variant}_pck@0.2_limbs12']:.4f} ({report[f'{variant}_found_fraction']:.1%} found; "
                  f"2x / 3x canvases {report[f'{variant}_zoom2x_pck@0.2_limbs12']:.4f} / "
                  f"{report[f'{variant}_zoom3x_pck@0.2_limbs12']:.4f}), "
                  f"{report[f'{variant}_whole_photo_ms_1_thread']:.1f} ms per photo on 1 thread; crops from labels "
                  f"all {pck_all:.4f} (drop {keras_all - pck_all:+.4f})")
    write_json(args.report, report)
    export.check_pck_drop(report, "int8", settings.max_pck_drop)


if __name__ == "__main__":
    main()
