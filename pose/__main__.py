"""Command line: ``python -m pose predict PHOTO|FOLDER|VIDEO [--model M] [--out O] [--json J] [--everyone]``."""

import argparse

from pose.cli import user_errors_exit

DEFAULT_MODEL = "android_app/app/src/main/assets/pose_model.tflite"


@user_errors_exit
def main():
    parser = argparse.ArgumentParser(prog="python -m pose", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    predict = commands.add_parser("predict", help="draw the skeleton on a photo or video with a TFLite model")
    predict.add_argument("source", help="photo (.jpg, .png, ...), folder of photos, or video (.mp4, .avi, .mov, ...)")
    predict.add_argument("--model", default=DEFAULT_MODEL, help=f"TFLite model with its .json beside it (default {DEFAULT_MODEL})")
    predict.add_argument("--out", help="output file, or folder for a folder of photos (default: SOURCE.pose.jpg / "
                         "SOURCE.pose.mp4 / FOLDER.pose/ beside the source)")
    predict.add_argument("--json", help="also write the people found (per photo or frame: score, joint -> x, y, "
                         "confidence in frame pixels) to this JSON file")
    predict.add_argument("--threshold", type=float, default=0.3, help="minimum joint confidence to draw")
    predict.add_argument("--threads", type=int, default=2)
    predict.add_argument("--everyone", action="store_true", help="photos: every person found, not only the most "
                         "prominent one (videos track one person)")
    args = parser.parse_args()

    from pose.deploy.predict import predict_file

    out = predict_file(args.source, args.model, args.out, args.threshold, args.threads, args.json,
                       everyone=args.everyone)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
