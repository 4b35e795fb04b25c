"""`python -m pose predict` on a photo, a folder and a video, with a small int8 model through LiteRT."""

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from pose.deploy.predict import predict_file
from pose.errors import PoseError
from pose.inference.photo import letterbox
from tests.conftest import REPO


@pytest.fixture
def small_tflite(tiny_int8):
    return tiny_int8[0]


def write_clip(path, frames):
    """An 80x60 MJPG clip at 10 frames/s whose frames brighten one step each."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (80, 60))
    for index in range(frames):
        writer.write(np.full((60, 80, 3), index * 30, np.uint8))
    writer.release()
    return path


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
    video = write_clip(tmp_path / "clip.avi", 7)
    out = predict_file(video, small_tflite, tmp_path / "clip.pose.mp4", threshold=0.0)
    capture = cv2.VideoCapture(str(out))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 7
    assert (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))) == (80, 60)


def test_missing_source_is_named(tmp_path, small_tflite):
    with pytest.raises(PoseError, match="nothing.jpg does not exist"):
        predict_file(tmp_path / "nothing.jpg", small_tflite)


def test_a_model_without_its_metadata_or_not_a_model_is_named(tmp_path, small_tflite):
    """LiteModel: a missing model, a model without its metadata JSON beside it, or a file that is
    not a TFLite flatbuffer each get one sentence naming the file, not a traceback."""
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), np.zeros((40, 40, 3), np.uint8))
    with pytest.raises(PoseError, match="absent.tflite does not exist"):
        predict_file(photo, tmp_path / "absent.tflite")
    lone = tmp_path / "lone.tflite"
    lone.write_bytes(Path(small_tflite).read_bytes())
    with pytest.raises(PoseError, match="lone.json is missing: the model's metadata"):
        predict_file(photo, lone)
    garbage = tmp_path / "garbage.tflite"
    garbage.write_bytes(b"not a flatbuffer")
    (tmp_path / "garbage.json").write_text(Path(small_tflite).with_suffix(".json").read_text())
    with pytest.raises(PoseError, match="garbage.tflite is not a TFLite model"):
        predict_file(photo, garbage)


def test_unzoom_maps_pixel_centres_back_exactly():
    from pose.inference.photo import unzoom

    # A 640-px row resized to 128: input pixel 0 covers frame pixels 0..4, centre 2.0; the last
    # input pixel 127 covers 635..639, centre 637.0.
    np.testing.assert_allclose(unzoom(np.array([0.0, 127.0]), 128 / 640), [2.0, 637.0])
    np.testing.assert_allclose(unzoom(np.array([[3.0, 5.0]]), 1.0), [[3.0, 5.0]])


def test_folder_of_photos_with_json_names_what_it_skips(tmp_path, small_tflite):
    folder = tmp_path / "photos"
    folder.mkdir()
    rng = np.random.default_rng(2)
    for name in ("a.jpg", "b.png"):
        cv2.imwrite(str(folder / name), rng.integers(0, 255, (70, 110, 3), dtype=np.uint8))
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    (folder / "notes.txt").write_text("not a photo")
    result = subprocess.run([sys.executable, "-m", "pose", "predict", str(folder), "--model", str(small_tflite),
                             "--json", str(tmp_path / "people.json")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "broken.jpg" in result.stdout
    report = json.loads((tmp_path / "people.json").read_text())
    assert [Path(photo["source"]).name for photo in report["photos"]] == ["a.jpg", "b.png"]
    assert report["skipped_count"] == 1 and report["skipped"][0]["source"].endswith("broken.jpg")
    assert sorted(path.name for path in (tmp_path / "photos.pose").iterdir()) == ["a.jpg", "b.png"]
    for photo in report["photos"]:
        for person in photo["people"]:
            assert set(person["keypoints"]) == set(report["joint_names"]) and 0 <= person["score"] <= 1


def test_video_json_has_one_record_per_frame(tmp_path, small_tflite):
    video = write_clip(tmp_path / "clip.avi", 5)
    predict_file(video, small_tflite, tmp_path / "clip.pose.mp4", json_path=tmp_path / "clip.json")
    frames = json.loads((tmp_path / "clip.json").read_text())["frames"]
    assert [frame["frame"] for frame in frames] == [0, 1, 2, 3, 4]
    assert frames[2]["time_s"] == pytest.approx(0.2)


def test_everyone_lists_every_person_of_a_photo(tmp_path):
    from pose.deploy.predict import predict_photos
    from pose.joints import JOINT_NAMES, SKELETON_EDGES
    from tests.test_person import RectangleModel, frame_with_person

    model = RectangleModel()
    model.metadata.update(joint_names=list(JOINT_NAMES), skeleton_edges=[list(edge) for edge in SKELETON_EDGES])
    frame = np.maximum(frame_with_person(box=(40, 100, 70, 175))[0], frame_with_person(box=(300, 80, 340, 190))[0])
    photo = tmp_path / "two.png"
    cv2.imwrite(str(photo), frame)
    one, _ = predict_photos([photo], model, lambda path: tmp_path / "one.png", 0.3)
    everyone, _ = predict_photos([photo], model, lambda path: tmp_path / "all.png", 0.3, everyone=True)
    assert len(one[0]["people"]) == 1 and len(everyone[0]["people"]) == 2
    xs = sorted(person["keypoints"]["pelvis"][0] for person in everyone[0]["people"])
    assert xs[0] < 100 < 250 < xs[1]  # one on each rectangle, in frame pixels
