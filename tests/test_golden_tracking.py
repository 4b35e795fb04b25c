"""The tracking golden sequence (pose.deploy.golden): what it records re-decodes and replays to the same people."""

import json

import numpy as np
import pytest

from pose.codec.decode import decode, flip_heatmaps_back
from pose.codec.heatmaps import crop_to_heatmap, heatmap_to_crop, render_analytic
from pose.data.crop import apply_affine, invert_affine
from pose.deploy import export
from pose.deploy.golden import (TRACKING_FOLDER, place, tracking_frames, write_finding_golden,
                                write_tracking_golden)
from pose.inference import person
from pose.inference.smoothing import OneEuroFilter
from pose.joints import NUM_JOINTS, flip_permutation

# Where each joint sits inside the white "person" rectangle, as fractions of its width and height: a
# layout the mirror maps onto itself (left joints where their right partners are, mirrored), so the
# finder's mirrored last pass lands on the same joints.
SYMMETRIC = np.array([[0.3, 0.95], [0.35, 0.75], [0.4, 0.55], [0.6, 0.55], [0.65, 0.75], [0.7, 0.95],
                      [0.5, 0.55], [0.5, 0.3], [0.5, 0.2], [0.5, 0.05],
                      [0.1, 0.5], [0.2, 0.4], [0.3, 0.3], [0.7, 0.3], [0.8, 0.4], [0.9, 0.5]])


def lite_with_finder(tiny_int8, tmp_path, finder):
    """The tiny model with other person-finder settings in its metadata."""
    path, meta = tiny_int8
    (tmp_path / "m.tflite").write_bytes(path.read_bytes())
    (tmp_path / "m.json").write_text(json.dumps({**meta, "person_finder": {**meta["person_finder"], **finder}}))
    return export.LiteModel(tmp_path / "m.tflite", threads=1)


class RectangleLite:
    """A LiteModel stand-in (``metadata``, ``raw``, ``dequantize``): uint8 heatmaps with each joint at a fixed
    place inside the bright region of its input, so it finds, tracks and loses a white rectangle."""

    def __init__(self, width=128, height=128, stride=4):
        self.metadata = {"input": {"width": width, "height": height, "channels": 3, "dtype": "uint8"},
                         "output": {"width": width // stride, "height": height // stride, "joints": NUM_JOINTS,
                                    "dtype": "uint8", "scale": 1 / 256, "zero_point": 0, "stride": stride},
                         "decoder": "centroid", "person_finder": {"passes": 2}}

    def raw(self, image):
        meta = self.metadata
        width, height, stride = meta["input"]["width"], meta["input"]["height"], meta["output"]["stride"]
        bright = np.argwhere(np.asarray(image).mean(axis=-1) > 127)
        maps = np.zeros((height // stride, width // stride, NUM_JOINTS), np.float32)
        if len(bright):
            (top, left), (bottom, right) = bright.min(axis=0), bright.max(axis=0)
            points = np.array([left - 0.5, top - 0.5]) + SYMMETRIC * np.array([right - left + 1, bottom - top + 1])
            maps = 0.9 * render_analytic(crop_to_heatmap(points, stride)[None], np.ones((1, NUM_JOINTS), bool),
                                         width // stride, height // stride, 1.5)[0]
        return np.clip(np.round(maps * 256), 0, 255).astype(np.uint8)[None]

    def dequantize(self, raw):
        output = self.metadata["output"]
        return (np.asarray(raw).astype(np.float32) - output["zero_point"]) * output["scale"]


class Replay:
    """Plays the recorded raw outputs back in order, as the app's replay test does."""

    def __init__(self, metadata, outputs):
        self.metadata, self.outputs, self.calls = metadata, list(outputs), 0

    def __call__(self, images):
        raw = self.outputs[self.calls]
        self.calls += 1
        output = self.metadata["output"]
        return ((raw.astype(np.float32) - output["zero_point"]) * output["scale"])[None]


def white_person():
    photo = np.zeros((128, 128, 3), np.uint8)
    photo[20:110, 45:80] = 255
    return photo


def read_runs(folder, record):
    """Per frame: [(affine (2, 3), raw output (h, w, K), mirrored)]."""
    dtype = np.dtype(record["output_dtype"])
    return [[(np.array(run["affine"]), np.frombuffer((folder / run["output"]).read_bytes(), dtype)
              .reshape(record["output_shape"]), run["mirrored"]) for run in frame["runs"]]
            for frame in record["frames"]]


def check_redecodes(folder, record):
    """Each frame's person is its last run's output decoded and mapped back through that run's affine."""
    meta = record["metadata"]
    output = meta["output"]
    settings = person.FinderSettings(**record["person_finder"])
    assert record["person_finder"] == vars(person.FinderSettings.from_metadata(meta))
    for frame, runs in zip(record["frames"], read_runs(folder, record)):
        assert 1 <= len(runs) <= 2 + settings.passes  # a lost track's run, a search, its mirrored run
        assert not any(mirrored for _, _, mirrored in runs[:-1])  # only the last run is ever mirrored

        def dequantized(raw):
            return ((raw.astype(np.float32) - output["zero_point"]) * output["scale"])[None]

        affine, raw, mirrored = runs[-1]
        heatmaps = dequantized(raw)
        if mirrored:  # the run before it, on the same crop, averaged with it mirrored back
            np.testing.assert_array_equal(runs[-2][0], affine)
            heatmaps = (dequantized(runs[-2][1]) + flip_heatmaps_back(heatmaps, flip_permutation())) / np.float32(2)
        keypoints, confidence = decode(heatmaps, meta["decoder"])
        in_frame = apply_affine(heatmap_to_crop(keypoints[0], output["stride"]), invert_affine(affine))
        np.testing.assert_allclose(frame["keypoints"], in_frame, atol=1e-5)
        np.testing.assert_array_equal(np.float32(frame["confidence"]), confidence[0])
        assert frame["score"] == pytest.approx(float(np.mean(confidence[0])), abs=1e-7)
        assert frame["found"] == (frame["score"] >= settings.person_threshold)
        np.testing.assert_allclose(frame["crop"], affine, atol=1e-12)
        for affine, _, _ in runs:  # axis-aligned zoom and shift, as the app samples them
            assert affine[0, 1] == affine[1, 0] == 0 and affine[0, 0] == affine[1, 1] > 0


def check_replays(folder, record):
    """The tracker fed the recorded outputs in order uses every one of them and reaches the recorded people."""
    runs = read_runs(folder, record)
    model = Replay(record["metadata"], [raw for frame in runs for _, raw, _ in frame])
    smoother, previous = OneEuroFilter(**record["one_euro"]), None
    for frame, frame_runs in zip(record["frames"], runs):
        before = model.calls
        image = np.zeros((frame["height"], frame["width"], 3), np.uint8)  # the replay ignores its input
        if record["kind"] == "find":
            previous = person.find_person(model, image)
        else:
            previous = person.track_person(model, image, previous)
        assert model.calls - before == len(frame_runs)
        np.testing.assert_allclose(previous.keypoints, frame["keypoints"], atol=1e-5)
        np.testing.assert_allclose(previous.crop, frame_runs[-1][0], atol=1e-9)
        assert previous.found == frame["found"]
        if record["kind"] == "track" and previous.found:
            smoothed = smoother(previous.keypoints, previous.confidence, frame["time_s"])
            np.testing.assert_allclose(smoothed, frame["smoothed"], atol=1e-5)
        else:
            smoother.reset()
            assert frame["smoothed"] is None
    assert model.calls == len(model.outputs)


@pytest.mark.parametrize("finder", [{}, {"person_threshold": 0.0, "joint_threshold": 0.0}], ids=["default", "found"])
def test_tiny_int8_sequence_redecodes_and_replays(tiny_int8, tmp_path, finder):
    model = lite_with_finder(tiny_int8, tmp_path, finder)
    folder = tmp_path / "golden" / TRACKING_FOLDER
    photo = np.random.default_rng(3).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    sequence = write_tracking_golden(model, tracking_frames(photo, moving=4, width=160, height=120), folder)
    single = write_finding_golden(model, place(photo, 120, 160, 1.2, 10, 30), folder)
    for record in (sequence, single):
        assert json.loads((folder / f"{record['name']}.json").read_text()) == json.loads(json.dumps(record))
        assert record["metadata"] == model.metadata and record["output_dtype"] == "uint8"
        check_redecodes(folder, record)
        check_replays(folder, record)
    assert len(sequence["frames"]) == 6 and [frame["time_s"] for frame in sequence["frames"]][:2] == [0.0, 1 / 30]
    assert (sequence["frames"][0]["width"], sequence["frames"][0]["height"]) == (160, 120)
    if finder:  # everyone is found: the search (2 to `passes` runs and the mirrored one), then each frame's
        runs = [len(frame["runs"]) for frame in sequence["frames"]]  # crop and its mirror image
        assert 3 <= runs[0] <= model.metadata["person_finder"]["passes"] + 1 and runs[1:] == [2] * 5
        assert all(frame["runs"][-1]["mirrored"] for frame in sequence["frames"])
        assert all(frame["smoothed"] is not None for frame in sequence["frames"])


def test_sequence_finds_tracks_loses_and_finds_again(tmp_path):
    folder = tmp_path / TRACKING_FOLDER
    model = RectangleLite()
    record = write_tracking_golden(model, tracking_frames(white_person()), folder)
    frames = record["frames"]
    # Two-pass search and its mirrored run, five tracked frames (the crop and its mirror image), the blank
    # frame (its crop, then the whole frame: nothing to mirror), the search again.
    assert [len(frame["runs"]) for frame in frames] == [3, 2, 2, 2, 2, 2, 2, 3]
    assert [frame["runs"][-1]["mirrored"] for frame in frames] == [True] * 6 + [False, True]
    assert [frame["found"] for frame in frames] == [True] * 6 + [False, True]
    assert frames[6]["smoothed"] is None and frames[7]["smoothed"] == frames[7]["keypoints"]  # reset after the loss
    assert frames[0]["smoothed"] == frames[0]["keypoints"] and frames[3]["smoothed"] != frames[3]["keypoints"]
    # The white box of frame 0 (photo columns 45..79, rows 20..109, zoom 0.9 at (30, 35)): joints inside it.
    first = np.array(frames[0]["keypoints"])
    assert first[:, 0].min() > 30 + 45 * 0.9 - 2 and first[:, 0].max() < 30 + 80 * 0.9 + 2
    check_redecodes(folder, record)
    check_replays(folder, record)
    single = write_finding_golden(model, place(white_person(), 240, 320, 1.2, 40, 90), folder)
    assert len(single["frames"][0]["runs"]) == 3 and single["frames"][0]["found"]
    check_redecodes(folder, single)
    check_replays(folder, single)
    size = sum(path.stat().st_size for path in folder.iterdir())
    assert size < 400_000  # small enough to commit with the app's tests


def test_the_finder_is_restored_after_recording(tmp_path):
    original = (person.sample_crop, person.letterbox)

    class Broken(RectangleLite):
        def raw(self, image):
            raise ValueError("model failed")

    with pytest.raises(ValueError, match="model failed"):
        write_tracking_golden(Broken(), [white_person()], tmp_path)
    assert (person.sample_crop, person.letterbox) == original


def test_tracking_frames_move_the_photo_then_blank_then_again():
    frames = tracking_frames(white_person())
    assert len(frames) == 8 and all(frame.shape == (240, 320, 3) for frame in frames)
    lefts = [np.argwhere(frame.mean(axis=-1) > 127)[:, 1].min() for frame in frames[:6]]
    assert lefts == sorted(lefts) and lefts[-1] - lefts[0] > 100
    assert frames[6].max() == 0 and frames[7].max() == 255
    clipped = place(white_person(), 50, 40, 1.0, -60, -30)  # partly outside: photo columns 60.. at 0..
    assert clipped.shape == (40, 50, 3) and clipped[:, :20].min() == 255 and clipped[:, 20:].max() == 0
