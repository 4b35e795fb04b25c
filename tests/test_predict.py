"""`python -m pose predict` on a photo and a video, with a small int8 model through LiteRT."""

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from pose import export
from pose.errors import PoseError
from pose.joints import NUM_JOINTS
from pose.model import build_unet
from pose.params import params_from_dict
from pose.predict import letterbox, predict_file
from tests.conftest import REPO


@pytest.fixture(scope="module")
def small_tflite(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(0)
    model = build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)
    folder = tmp_path_factory.mktemp("model")
    images = np.random.default_rng(0).integers(0, 255, (4, 64, 64, 3), dtype=np.uint8)
    blob = export.convert(model, "int8", images)
    (folder / "m.tflite").write_bytes(blob)
    (folder / "m.json").write_text(json.dumps(export.metadata(blob, "int8", params_from_dict({}), "m.keras")))
    return folder / "m.tflite"


def test_letterbox_fits_the_longer_side():
    canvas, zoom = letterbox(np.full((50, 100, 3), 9, np.uint8), 64, 64)
    assert canvas.shape == (64, 64, 3) and zoom == pytest.approx(0.64)
    assert canvas[:32].min() == 9 and canvas[33:].max() == 0


def test_photo_overlay_via_command_line(tmp_path, small_tflite):
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), np.random.default_rng(1).integers(0, 255, (90, 120, 3), dtype=np.uint8))
    result = subprocess.run([sys.executable, "-m", "pose", "predict", str(photo), "--model", str(small_tflite),
                             "--threshold", "0"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    overlay = cv2.imread(str(tmp_path / "photo.pose.jpg"))
    assert overlay.shape == (90, 120, 3)


def test_video_overlay_keeps_every_frame(tmp_path, small_tflite):
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (80, 60))
    for index in range(7):
        writer.write(np.full((60, 80, 3), index * 30, np.uint8))
    writer.release()
    out = predict_file(video, small_tflite, tmp_path / "clip.pose.mp4", threshold=0.0)
    capture = cv2.VideoCapture(str(out))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 7
    assert (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))) == (80, 60)


def test_missing_source_is_named(tmp_path, small_tflite):
    with pytest.raises(PoseError, match="nothing.jpg does not exist"):
        predict_file(tmp_path / "nothing.jpg", small_tflite)


def test_unzoom_maps_pixel_centres_back_exactly():
    from pose.evaluation import unzoom

    # A 640-px row resized to 128: input pixel 0 covers frame pixels 0..4, centre 2.0; the last
    # input pixel 127 covers 635..639, centre 637.0.
    np.testing.assert_allclose(unzoom(np.array([0.0, 127.0]), 128 / 640), [2.0, 637.0])
    np.testing.assert_allclose(unzoom(np.array([[3.0, 5.0]]), 1.0), [[3.0, 5.0]])
