"""Mirrored labels in a dataset's splits, estimated with the trained model (pose.reports.label_swaps).

For each split, the share of persons whose 12 limb joints fit the model's predictions (on the
crops made from the labels, the training decoder) better with left and right swapped, by at
least 4 and at least 6 joints:

    stages/python benchmarks/label_swaps.py [--model models/model.keras] [--samples data/samples] [--out FILE]

docs/training.md ("LSPET's labels") holds the figures.
"""

import argparse
import json
from pathlib import Path

import keras
import numpy as np

from pose.codec.decode import argmax_with_quarter_offset
from pose.codec.heatmaps import heatmap_to_crop
from pose.data.samples import read_split
from pose.metrics import torso_size
from pose.params import load_params
from pose.reports.label_swaps import summarize, swap_gains


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--model", default="models/model.keras")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--out")
    args = parser.parse_args()

    stride = load_params(args.params).geometry.output_stride
    model = keras.saving.load_model(args.model, compile=False)
    result = {}
    for split in ("train", "val", "test"):
        arrays = read_split(args.samples, split)
        heatmaps = model.predict(arrays["images"].astype(np.float32), batch_size=64, verbose=0)
        predicted = heatmap_to_crop(argmax_with_quarter_offset(heatmaps)[0], stride)
        reference = torso_size(arrays["keypoints"], arrays["labeled"])
        result[split] = summarize(swap_gains(predicted, arrays["keypoints"], arrays["labeled"], reference))
        print(split, result[split])
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
