"""quantize stage: float32, float16 and int8 TFLite models, each re-evaluated through LiteRT."""

import argparse
from pathlib import Path

import numpy as np

from pose.cli import user_errors_exit
from pose.fileio import atomic_path, write_json
from pose.params import load_params
from pose.samples import read_split


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", required=True)
    parser.add_argument("--model", required=True, help="trained Keras model")
    parser.add_argument("--out", required=True, help="folder receiving <variant>.tflite and <variant>.json")
    parser.add_argument("--report", required=True, help="export metrics JSON")
    args = parser.parse_args()

    params = load_params(args.params)
    import keras

    from pose import evaluation, export

    settings, stride, decoder = params.quantize, params.geometry.output_stride, params.evaluate.decoder
    dataset = params.data.dataset
    model = keras.saving.load_model(args.model, compile=False)
    train = read_split(args.samples, "train")
    test = read_split(args.samples, "test")
    rng = np.random.default_rng(params.seed)
    count = min(settings.representative_count, len(train["images"]))
    calibration = train["images"][np.sort(rng.choice(len(train["images"]), count, replace=False))]

    def pck_of(predict):
        heatmaps = evaluation.predict_heatmaps(predict, test["images"], batch_size=32)
        predicted, _ = evaluation.keypoints_in_photo(heatmaps, decoder, stride, test["crop_to_image"])
        metrics, _ = evaluation.score(predicted, test, dataset)
        return metrics[f"{dataset}_pck@0.2_all"], metrics[f"{dataset}_pck@0.2_limbs12"]

    keras_all, keras_limbs = pck_of(lambda batch: model.predict_on_batch(batch))
    report = {"keras_pck@0.2_all": keras_all, "keras_pck@0.2_limbs12": keras_limbs, "decoder": decoder}
    print(f"keras: PCK@0.2 all {keras_all:.4f}")
    with atomic_path(args.out) as folder:
        folder.mkdir()
        for variant in export.VARIANTS:
            blob = export.convert(model, variant, calibration)
            (folder / f"{variant}.tflite").write_bytes(blob)
            write_json(folder / f"{variant}.json", export.metadata(blob, variant, params, args.model))
            lite = export.LiteModel(folder / f"{variant}.tflite", threads=2)
            pck_all, pck_limbs = pck_of(lite)
            report[f"{variant}_pck@0.2_all"] = pck_all
            report[f"{variant}_pck@0.2_limbs12"] = pck_limbs
            report[f"{variant}_pck_drop_all"] = keras_all - pck_all
            report[f"{variant}_size_bytes"] = len(blob)
            for threads in (1, 2):
                timed = export.LiteModel(folder / f"{variant}.tflite", threads=threads)
                report[f"{variant}_latency_ms_{threads}_thread{'s' if threads > 1 else ''}"] = export.latency_ms(
                    timed, test["images"][0], runs=settings.latency_runs)
            print(f"{variant}: {len(blob) / 1e6:.2f} MB, PCK@0.2 all {pck_all:.4f} "
                  f"(drop {keras_all - pck_all:+.4f}), {report[f'{variant}_latency_ms_1_thread']:.1f} ms on 1 thread")
    write_json(args.report, report)
    export.check_pck_drop(report, "int8", settings.max_pck_drop)


if __name__ == "__main__":
    main()
