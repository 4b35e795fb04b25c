"""Peer comparison: MediaPipe Pose against our TFLite models on the LSPET test persons -> reports/peers.json.

Same persons, same metric (PCK@0.2 on the 12 limb joints, photo pixels), latencies and sizes
measured in this one run; see pose/peers.py for the fairness rules. MediaPipe runs from its own
virtual environment (`make peers-setup`), offline.

    stages/python benchmarks/peers.py [--limit 50] [--out reports/peers.json]
"""

import argparse

from pose.cli import user_errors_exit
from pose.fileio import write_json
from pose.params import load_params
from pose.reports.peers import compare, mediapipe_python


def clean(value):
    """NaN -> None, recursively: reports/peers.json must be strict JSON."""
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return None if isinstance(value, float) and value != value else value


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--samples", default="data/samples")
    parser.add_argument("--raw", default="data/raw", help="folder the samples' image paths are relative to")
    parser.add_argument("--tflite", default="models/tflite", help="folder with <variant>.tflite and .json")
    parser.add_argument("--mediapipe-python", help="the MediaPipe venv's python (default: $POSE_MEDIAPIPE_PYTHON "
                                                   "or .venv-mediapipe/bin/python)")
    parser.add_argument("--limit", type=int, help="only the first N test persons (quick check)")
    parser.add_argument("--one-core-images", type=int,
                        help="persons timed again with MediaPipe pinned to one core (default: all)")
    parser.add_argument("--out", default="reports/peers.json")
    args = parser.parse_args()

    params = load_params(args.params)
    report = compare(args.samples, args.raw, args.tflite, mediapipe_python(args.mediapipe_python),
                     params.evaluate.decoder, params.geometry.output_stride, params.data.dataset,
                     limit=args.limit, one_core_images=args.one_core_images, seed=params.seed)
    write_json(args.out, clean(report))
    print(f"wrote {args.out} ({report['meta']['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
