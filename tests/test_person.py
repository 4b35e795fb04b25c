"""Finding the person in a whole frame, tracking it over frames, and smoothing: geometry checked with a fake model."""

import cv2
import numpy as np
import pytest

from pose.codec.heatmaps import crop_to_heatmap, render_analytic
from pose.data.crop import apply_affine, crop_affine
from pose.inference.person import (
    FinderSettings,
    box_affine,
    crop_window,
    find_people,
    find_people_in_each,
    find_person,
    find_person_in_each,
    sample_crop,
    track_person,
)
from pose.inference.smoothing import OneEuroFilter
from pose.joints import NUM_JOINTS

# Where each joint sits inside the white "person" rectangle, as fractions of its width and height.
RELATIVE = np.stack([np.linspace(0.1, 0.9, NUM_JOINTS), np.linspace(0.05, 0.95, NUM_JOINTS)[::-1]], -1)
# A layout the mirror maps onto itself: each left joint where its right partner is, mirrored; the
# centre joints on the midline (JOINT_NAMES order).
SYMMETRIC = np.array([[0.3, 0.95], [0.35, 0.75], [0.4, 0.55], [0.6, 0.55], [0.65, 0.75], [0.7, 0.95],
                      [0.5, 0.55], [0.5, 0.3], [0.5, 0.2], [0.5, 0.05],
                      [0.1, 0.5], [0.2, 0.4], [0.3, 0.3], [0.7, 0.3], [0.8, 0.4], [0.9, 0.5]])


class RectangleModel:
    """A stand-in for a pose model: every joint at a fixed place inside the bright region of its input.

    It sees only its input image, as a real model does, so the finder's letterbox, crops and
    mappings back to frame pixels are what the test checks.
    """

    def __init__(self, width=128, height=96, stride=4, layout=RELATIVE, shift=0.0):
        self.metadata = {"input": {"width": width, "height": height}, "output": {"stride": stride},
                         "decoder": "centroid",
                         # not mirrored: the diagonal layout is not the mirror image of itself
                         "person_finder": {"passes": 2, "crop_margin": 1.3, "person_threshold": 0.5,
                                           "mirror_last_pass": False}}
        self.calls = 0
        self.inputs = []  # every image it was run on
        # shift: every joint this many input pixels right of where ``layout`` puts it (a model wrong
        # left to right, which a mirrored run is wrong the other way)
        self.layout, self.shift = layout, shift

    def __call__(self, images):
        self.calls += 1
        width, height = self.metadata["input"]["width"], self.metadata["input"]["height"]
        stride = self.metadata["output"]["stride"]
        maps = []
        for image in np.asarray(images):
            self.inputs.append(image)
            total = np.zeros((height // stride, width // stride, NUM_JOINTS), np.float32)
            count, labels = cv2.connectedComponents((image.mean(axis=-1) > 127).astype(np.uint8))
            for label in range(1, count):  # one person per bright region
                bright = np.argwhere(labels == label)
                (top, left), (bottom, right) = bright.min(axis=0), bright.max(axis=0)
                # The region's edges (pixel edges: -0.5 / +0.5), so partly covered pixels do not bias it.
                points = np.array([left - 0.5 + self.shift, top - 0.5]) + self.layout * np.array(
                    [right - left + 1, bottom - top + 1])
                total = np.maximum(total, render_analytic(crop_to_heatmap(points, stride)[None],
                                                          np.ones((1, NUM_JOINTS), bool), width // stride,
                                                          height // stride, 1.5)[0])
            maps.append(total)
        return np.stack(maps)



def unmirrored(**settings):
    """Finder settings without the mirrored last pass: the diagonal stand-in is not its own mirror image."""
    return FinderSettings(mirror_last_pass=False, **settings)

def frame_with_person(width=400, height=300, box=(300, 100, 330, 175)):
    """A black frame with a white person-box (x0, y0, x1, y1), 19 % of the frame high, off centre; its joints."""
    frame = np.zeros((height, width, 3), np.uint8)
    x0, y0, x1, y1 = box
    frame[y0:y1, x0:x1] = 255
    truth = np.array([x0 - 0.5, y0 - 0.5]) + RELATIVE * np.array([x1 - x0, y1 - y0])
    return frame, truth


def test_two_passes_find_a_small_off_centre_person_in_frame_pixels():
    frame, truth = frame_with_person()
    model = RectangleModel()
    one_pass = find_person(model, frame, unmirrored(passes=1, crop_margin=1.3))
    two_passes = find_person(model, frame, unmirrored(passes=2, crop_margin=1.3))
    assert two_passes.found and model.calls == 3
    one_error = np.abs(one_pass.keypoints - truth).max()
    two_error = np.abs(two_passes.keypoints - truth).max()
    assert two_error < 1.0  # frame pixels, after the crop at full resolution
    assert two_error < one_error / 2  # the letterboxed whole frame is 3x coarser


def test_a_search_stops_once_its_crops_settle():
    frame, truth = frame_with_person()
    runs = {}
    for settle_iou in (1.0, 0.9):
        model = RectangleModel()
        person = find_person(model, frame, unmirrored(passes=5, crop_margin=1.3, settle_iou=settle_iou))
        runs[settle_iou] = model.calls
        assert person.found and len(person.runs) == model.calls
        assert np.abs(person.keypoints - truth).max() < 1.0
    # The second crop lands within a pixel of the first (IoU above 0.9): with 0.9 it is not run.
    assert runs == {1.0: 5, 0.9: 2}


def test_a_mirrored_last_pass_cancels_what_the_model_gets_wrong_left_to_right():
    x0, y0, x1, y1 = 300, 100, 330, 175
    frame, _ = frame_with_person(box=(x0, y0, x1, y1))
    truth = np.array([x0 - 0.5, y0 - 0.5]) + SYMMETRIC * np.array([x1 - x0, y1 - y0])
    errors = {}
    for mirror in (False, True):
        model = RectangleModel(layout=SYMMETRIC, shift=2.0)
        person = find_person(model, frame, FinderSettings(passes=2, mirror_last_pass=mirror))
        assert person.found and person.mirrored == mirror and len(person.runs) == model.calls == 2 + mirror
        errors[mirror] = (person.keypoints - truth).mean(axis=0)  # signed: the decoders' own errors average out
        if mirror:
            np.testing.assert_array_equal(person.runs[-1], person.runs[-2])  # the same crop, run again
            np.testing.assert_array_equal(model.inputs[-1], model.inputs[-2][:, ::-1])  # mirrored
    bias = 2.0 / person.crop[0, 0]  # the model's 2 input pixels, in frame pixels
    assert errors[False][0] == pytest.approx(bias, abs=0.2)
    assert abs(errors[True][0]) < 0.1 * bias and abs(errors[True][1]) < 0.1


def test_an_empty_frame_costs_no_mirrored_run():
    model = RectangleModel()
    person = find_person(model, np.zeros((300, 400, 3), np.uint8), FinderSettings(mirror_last_pass=True))
    assert not person.found and not person.mirrored and model.calls == 1


def test_a_held_track_runs_its_crop_mirrored_too_and_a_lost_one_does_not():
    settings = FinderSettings(passes=2, mirror_last_pass=True, person_threshold=0.5)
    model = RectangleModel()
    frame, _ = frame_with_person(box=(200, 100, 230, 175))
    person = track_person(model, frame, None, settings)
    assert person.mirrored and model.calls == len(person.runs) == 3  # letterbox, crop, the crop mirrored
    frame, _ = frame_with_person(box=(205, 100, 235, 175))
    model.calls = 0
    person = track_person(model, frame, person, settings)
    assert person.found and person.mirrored and model.calls == len(person.runs) == 2
    model.calls = 0
    lost = track_person(model, np.zeros((300, 400, 3), np.uint8), person, settings)
    assert not lost.found and model.calls == len(lost.runs) == 2  # the crop, then the letterbox: nothing mirrored


def varied_frames():
    """Frames whose searches take different numbers of runs: small and large people, an empty frame, two people."""
    frames = [frame_with_person(box=box)[0] for box in
              ((300, 100, 330, 175), (20, 20, 380, 280), (150, 40, 200, 260), (5, 200, 40, 290))]
    frames.insert(2, np.zeros((300, 400, 3), np.uint8))
    two = frame_with_person(box=(40, 60, 90, 200))[0]
    two[80:240, 250:310] = 255
    return frames + [two]


class BatchCountingModel(RectangleModel):
    """The stand-in, recording how many images each call got and how many frames the caller held at once."""

    def __init__(self, **options):
        super().__init__(**options)
        self.batch_sizes = []

    def __call__(self, images):
        self.batch_sizes.append(len(images))
        return super().__call__(images)


@pytest.mark.parametrize("batch_size", [1, 3, 16])
def test_searches_batched_across_frames_find_what_each_search_finds_alone(batch_size):
    frames = varied_frames()
    settings = FinderSettings(passes=4, mirror_last_pass=True, person_threshold=0.5)
    alone = [find_person(RectangleModel(), frame, settings) for frame in frames]
    model = BatchCountingModel()
    together = find_person_in_each(model, iter(frames), settings, batch_size=batch_size)
    assert len(together) == len(frames)
    for single, batched in zip(alone, together):
        assert batched.found == single.found and batched.mirrored == single.mirrored
        np.testing.assert_array_equal(batched.keypoints, single.keypoints)
        np.testing.assert_array_equal(batched.confidence, single.confidence)
        assert len(batched.runs) == len(single.runs)
    assert sum(model.batch_sizes) == sum(len(person.runs) for person in alone)  # no run more, none less
    assert max(model.batch_sizes) == min(batch_size, len(frames))
    people_alone = [find_people(RectangleModel(), frame, settings) for frame in frames]
    people_together = find_people_in_each(BatchCountingModel(), frames, settings, batch_size=batch_size)
    assert [len(people) for people in people_together] == [len(people) for people in people_alone]
    assert {len(people) for people in people_alone} == {0, 1, 2}  # frames with nobody, one and several found


def test_batched_searches_take_their_frames_lazily():
    taken, held = [], []  # frames drawn so far; how many had been drawn at each model call

    def frames():
        for index, frame in enumerate(varied_frames()):
            taken.append(index)
            yield frame

    class WatchingModel(RectangleModel):
        def __call__(self, images):
            held.append(len(taken))
            return super().__call__(images)

    find_person_in_each(WatchingModel(), frames(), unmirrored(passes=2), batch_size=2)
    assert held[0] == 2 and len(taken) == 6  # two frames before the first batch, all six by the end


def test_crop_window_is_the_frame_region_an_input_shows():
    # A 20 px person with margin 1.5: the shorter input side (96) spans 30 frame pixels, the longer 40.
    window = crop_window(crop_affine((50, 60), 20, 1.5, 128, 96), 128, 96)
    np.testing.assert_allclose(window, [30, 45, 70, 75], atol=1e-9)


def test_every_person_in_the_frame_is_found_once():
    frame, first = frame_with_person(box=(40, 100, 70, 175))
    second_frame, second = frame_with_person(box=(300, 80, 340, 190))
    frame = np.maximum(frame, second_frame)
    people = find_people(RectangleModel(), frame)
    assert len(people) == 2
    found = sorted(people, key=lambda person: person.keypoints[0, 0])
    assert np.abs(found[0].keypoints - first).max() < 1.5 and np.abs(found[1].keypoints - second).max() < 1.5
    assert find_people(RectangleModel(), np.zeros((300, 400, 3), np.uint8)) == []


def test_people_are_found_one_by_one_and_the_frame_is_left_untouched():
    # Further apart than a bone may reach in the whole frame's heatmaps (0.3 of their side), as people
    # standing apart are: the stand-in's joints lie on a diagonal, not on a skeleton.
    frame = np.zeros((300, 600, 3), np.uint8)
    truths = []
    for box in ((20, 100, 50, 175), (540, 80, 580, 190), (280, 120, 310, 200)):
        part, truth = frame_with_person(width=600, box=box)
        frame = np.maximum(frame, part)
        truths.append(truth)
    before = frame.copy()
    model = RectangleModel()
    people = find_people(model, frame)
    assert np.array_equal(frame, before)
    assert len(people) == 3
    for person in people:  # each found person is one of the three, at frame-pixel accuracy
        assert min(np.abs(person.keypoints - truth).max() for truth in truths) < 1.5
    assert len({int(person.keypoints[0, 0]) for person in people}) == 3
    assert model.calls == 3 * 2 + 1  # three searches of two passes, then one whole-frame pass finding nothing
    assert len(find_people(RectangleModel(), frame, max_people=2)) == 2


def test_a_further_person_needs_the_extra_threshold():
    frame, _ = frame_with_person(box=(40, 100, 70, 175))
    second, _ = frame_with_person(box=(300, 80, 340, 190))
    frame = np.maximum(frame, second)
    model = RectangleModel()  # every person it finds scores below 1 (the rendered peak)
    assert len(find_people(model, frame, unmirrored(extra_person_threshold=1.01))) == 1
    assert len(find_people(model, frame, unmirrored(extra_person_threshold=0.5))) == 2


def test_an_empty_frame_gives_nobody():
    model = RectangleModel()
    person = find_person(model, np.zeros((300, 400, 3), np.uint8))
    assert not person.found and person.score < 0.5
    assert model.calls == 1  # nothing confident to crop around: no second pass


def test_track_follows_a_moving_person_with_one_pass_per_frame():
    model = RectangleModel()
    person = None
    for step in range(5):
        frame, truth = frame_with_person(box=(200 + 10 * step, 100, 230 + 10 * step, 175))
        before = model.calls
        person = track_person(model, frame, person)
        assert person.found and np.abs(person.keypoints - truth).max() < 1.5
        assert model.calls - before == (2 if step == 0 else 1) == len(person.runs)
    model.calls = 0
    lost = track_person(model, np.zeros((300, 400, 3), np.uint8), person)
    assert not lost.found and model.calls == 2  # the crop found nobody, then the whole frame neither
    assert len(lost.runs) == 2 and lost.runs[0][0, 0] > lost.runs[1][0, 0]  # the tracked crop, then the letterbox


def test_box_affine_needs_enough_confident_joints():
    keypoints = np.tile([[10.0, 20.0]], (NUM_JOINTS, 1))
    confidence = np.zeros(NUM_JOINTS)
    confidence[:3] = 0.9
    settings = unmirrored(min_joints=4)
    assert box_affine(keypoints, confidence, settings, 64, 64) is None
    confidence[3] = 0.9
    keypoints[:4] = [[0, 0], [50, 0], [0, 100], [50, 100]]
    affine = box_affine(keypoints, confidence, settings, 64, 64)
    centre = apply_affine(np.array([[25.0, 50.0]]), affine)[0]
    np.testing.assert_allclose(centre, [31.5, 31.5])  # the box centre lands on the input centre
    assert affine[0, 0] == pytest.approx(64 / (100 * settings.crop_margin))


def test_sample_crop_downscales_without_aliasing_and_keeps_geometry():
    rows, columns = np.mgrid[0:600, 0:800]
    gradient = np.repeat(((columns * 0.25 + rows * 0.1) % 256).astype(np.uint8)[..., None], 3, axis=-1)
    affine = np.array([[0.1, 0, -2.0], [0, 0.1, -1.0]])  # 10x smaller, from (20, 10) on
    crop = sample_crop(gradient, affine, 64, 48).astype(float)
    # Output pixel (x, y) averages the frame pixels around ((x + 2) / 0.1, (y + 1) / 0.1); the
    # gradient is linear (0.25 per column, 0.1 per row, below 256 there), so the mean is its centre value.
    ys, xs = np.mgrid[0:48, 0:64]
    expected = ((xs + 2.0) / 0.1) * 0.25 + ((ys + 1.0) / 0.1) * 0.1
    assert np.abs(crop[..., 0] - expected).max() < 1.5
    noise = np.random.default_rng(0).integers(0, 256, (600, 800, 3), dtype=np.uint8)
    plain = cv2.warpAffine(noise, affine, (64, 48), flags=cv2.INTER_LINEAR)
    assert sample_crop(noise, affine, 64, 48)[5:40, 5:55].std() < plain[5:40, 5:55].std() / 3


def test_one_euro_filter_calms_jitter_and_ignores_unconfident_jumps():
    rng = np.random.default_rng(0)
    smoother = OneEuroFilter(min_cutoff_hz=1.0, beta=0.0)
    still = np.full((NUM_JOINTS, 2), 100.0)
    outputs = [smoother(still + rng.normal(0, 2, still.shape), np.ones(NUM_JOINTS), t / 30) for t in range(60)]
    assert np.std(np.array(outputs[30:]) - 100) < 1.0  # input jitter 2 px
    before = outputs[-1]
    after = smoother(still + 50, np.zeros(NUM_JOINTS), 60 / 30)  # a jump the model is not sure of
    np.testing.assert_allclose(after, before)
    smoother.reset()
    np.testing.assert_allclose(smoother(still + 50, np.ones(NUM_JOINTS), 0.0), still + 50)
