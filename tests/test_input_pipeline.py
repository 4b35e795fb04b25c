"""Augmentation moves image and keypoints together; targets are right; runs are reproducible.

The geometric contract (image and keypoints move together, flips swap sides, loose framings keep
the person inside) is checked on both implementations: ``tf.data`` (TensorFlow) and the
numpy/OpenCV batches (JAX, PyTorch; their own tests are in test_batches.py).
"""

import numpy as np
import pytest

from pose.codec.decode import decode
from pose.codec.heatmaps import UNLABELED, render_analytic, render_analytic_tf
from pose.joints import FLIP_PAIRS, NUM_JOINTS
from pose.params import AugmentParams
from pose.train import batches, input_pipeline
from pose.train.input_pipeline import make_dataset

NO_COLOUR = dict(brightness=0.0, contrast=0.0, saturation=0.0)
IMPLEMENTATIONS = ("tf.data", "numpy")


def augment(implementation, image, keypoints, labeled, seed, settings):
    """One tight-crop augmentation by either implementation, as numpy arrays."""
    if implementation == "tf.data":
        result = input_pipeline.augment(image, keypoints, labeled, np.array([seed, seed + 1]), settings)
    else:
        result = batches.augment(image, keypoints, labeled, np.random.default_rng(seed), settings)
    return tuple(np.asarray(value) for value in result)


def augment_loose(implementation, context, keypoints, labeled, photo_box, seed, settings, width, height):
    """One loose framing by either implementation, as numpy arrays."""
    if implementation == "tf.data":
        result = input_pipeline.augment_loose(context, keypoints, labeled, photo_box, np.array([seed, seed + 1]),
                                              settings, width, height)
    else:
        result = batches.augment_loose(context, keypoints, labeled, photo_box, np.random.default_rng(seed),
                                       settings, width, height)
    return tuple(np.asarray(value) for value in result)


def marked_sample(width=96, height=64, seed=0):
    """An image with one bright dot per joint at that joint's keypoint (whole pixels)."""
    rng = np.random.default_rng(seed)
    keypoints = np.stack([rng.integers(20, width - 20, NUM_JOINTS), rng.integers(15, height - 15, NUM_JOINTS)], -1)
    return np.zeros((height, width, 3), np.float32), keypoints.astype(np.float32)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("flip", [0.0, 1.0])
def test_image_and_keypoints_move_together(flip, implementation):
    image, keypoints = marked_sample()
    image[int(keypoints[0, 1]), int(keypoints[0, 0])] = 255  # mark r_ankle only
    settings = AugmentParams(flip_probability=flip, rotation_degrees=25, scale_range=0.2, **NO_COLOUR)
    out_image, out_keypoints, labeled = augment(implementation, image, keypoints, np.ones(NUM_JOINTS, bool), 3,
                                                settings)
    # After a flip the marked joint is the left ankle (index 5).
    joint = 5 if flip else 0
    row, column = np.unravel_index(np.argmax(out_image[..., 0]), out_image.shape[:2])
    assert abs(column - out_keypoints[joint, 0]) <= 1.0 and abs(row - out_keypoints[joint, 1]) <= 1.0


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_flip_swaps_left_and_right_labels(implementation):
    image, keypoints = marked_sample()
    labeled = np.zeros(NUM_JOINTS, bool)
    labeled[[left for left, _ in FLIP_PAIRS]] = True
    settings = AugmentParams(flip_probability=1.0, rotation_degrees=0, scale_range=0, shift_range=0, **NO_COLOUR)
    _, flipped, flipped_labeled = augment(implementation, image, keypoints, labeled, 1, settings)
    for left, right in FLIP_PAIRS:
        assert bool(flipped_labeled[right]) and not bool(flipped_labeled[left])
        np.testing.assert_allclose(flipped[right], [95 - keypoints[left, 0], keypoints[left, 1]], atol=1e-4)


def test_tf_renderer_matches_numpy_and_marks_unlabeled():
    keypoints = np.array([[3.3, 2.7], [10.0, 5.5]], np.float32)
    labeled = np.array([True, False])
    tf_maps = np.asarray(render_analytic_tf(keypoints, labeled, 16, 8, 1.5))
    np_maps = render_analytic(keypoints[None], labeled[None], 16, 8, 1.5)[0]
    np.testing.assert_allclose(tf_maps[..., 0], np_maps[..., 0], atol=1e-6)
    assert (tf_maps[..., 1] == UNLABELED).all()


def arrays(count=8, width=64, height=64):
    rng = np.random.default_rng(1)
    return {
        "images": rng.integers(0, 255, (count, height, width, 3), dtype=np.uint8),
        "keypoints": rng.uniform(8, 56, (count, NUM_JOINTS, 2)).astype(np.float32),
        "labeled": rng.random((count, NUM_JOINTS)) > 0.2,
    }


@pytest.mark.parametrize("method", ["analytic", "blur"])
def test_dataset_shapes_and_reproducible_augmentation(method):
    data = arrays()
    first = next(iter(make_dataset(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=7)))
    second = next(iter(make_dataset(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=7)))
    assert first[0].shape == (4, 64, 64, 3) and first[1].shape == (4, 16, 16, NUM_JOINTS)
    np.testing.assert_array_equal(np.asarray(first[0]), np.asarray(second[0]))
    np.testing.assert_array_equal(np.asarray(first[1]), np.asarray(second[1]))
    other = next(iter(make_dataset(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=8)))
    assert not np.array_equal(np.asarray(first[0]), np.asarray(other[0]))


def test_evaluation_dataset_is_unchanged_and_in_order():
    data = arrays(count=5)
    images, targets = next(iter(make_dataset(data, 4, 1.5, "analytic", 5)))
    np.testing.assert_array_equal(np.asarray(images), data["images"].astype(np.float32))
    expected = render_analytic((data["keypoints"] + 0.5) / 4 - 0.5, data["labeled"], 16, 16, 1.5)
    expected[~np.broadcast_to(data["labeled"][:, None, None, :], expected.shape)] = UNLABELED
    np.testing.assert_allclose(np.asarray(targets), expected, atol=1e-5)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("flip", [0.0, 1.0])
def test_loose_framing_moves_image_and_keypoints_together(flip, implementation):
    context, keypoints = marked_sample(width=160, height=160, seed=4)
    x, y = int(keypoints[0, 0]), int(keypoints[0, 1])
    context[y - 1:y + 2, x - 1:x + 2] = 255  # 3x3: a lone pixel can fall between a downscaling warp's samples
    settings = AugmentParams(flip_probability=flip, rotation_degrees=20, loose_margin_min=2.0, loose_margin_max=3.0,
                             **NO_COLOUR)
    photo_box = np.array([-0.5, -0.5, 159.5, 159.5], np.float32)
    out_image, out_keypoints, _ = augment_loose(implementation, context, keypoints, np.ones(NUM_JOINTS, bool),
                                                photo_box, 5, settings, 96, 64)
    assert out_image.shape == (64, 96, 3)
    joint = 5 if flip else 0
    row, column = np.unravel_index(np.argmax(out_image[..., 0]), out_image.shape[:2])
    assert out_image[row, column, 0] > 0  # the mark survived the (downscaling) warp
    assert abs(column - out_keypoints[joint, 0]) <= 1.0 and abs(row - out_keypoints[joint, 1]) <= 1.0


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_loose_framing_keeps_the_person_inside_and_spans_at_most_the_photo(implementation):
    context, keypoints = marked_sample(width=200, height=200, seed=1)
    keypoints = keypoints * 0.3 + 70  # a person of about 50 px inside a 200 px context crop
    photo_box = np.array([40.0, 60.0, 160.0, 140.0], np.float32)  # the photo: 120 x 80 context pixels
    settings = AugmentParams(rotation_degrees=0, loose_margin_min=2.0, loose_margin_max=6.0, **NO_COLOUR)
    person = np.ptp(keypoints, axis=0).max()
    for seed in range(20):
        _, moved, _ = augment_loose(implementation, context, keypoints, np.ones(NUM_JOINTS, bool), photo_box,
                                    seed, settings, 128, 128)
        assert (moved >= -0.5).all() and (moved <= 127.5).all()  # the whole person is in the frame
        span = np.ptp(moved, axis=0).max() / 128  # the person's share of the frame
        assert 120 / person >= 1 / span - 1e-3  # the frame spans at most the photo's longer side
        assert 1 / span <= 6.0 + 1e-3


def arrays_of_photos(count=16):
    """:func:`arrays` with what context crops carry: photo names, sizes and crop-to-photo maps (identity)."""
    data = arrays(count=count)
    data["image"] = np.array([f"im{i}.jpg" for i in range(count)])
    data["photo_size"] = np.full((count, 2), 64, np.int32)
    data["crop_to_image"] = np.tile(np.array([[1.0, 0, 0], [0, 1.0, 0]]), (count, 1, 1))
    return data


def test_loose_share_of_a_dataset_follows_the_probability():
    data = arrays_of_photos()
    context = dict(data)
    none = AugmentParams(loose_probability=0.0, **NO_COLOUR)
    every = AugmentParams(loose_probability=1.0, **NO_COLOUR)
    tight = next(iter(make_dataset(data, 4, 1.5, "analytic", 8, augmentation=none, context=context)))[0]
    loose = next(iter(make_dataset(data, 4, 1.5, "analytic", 8, augmentation=every, context=context)))[0]
    assert not np.allclose(np.asarray(tight), np.asarray(loose))


def occluded_pair(implementation, probability_settings, seed=4):
    """The same sample augmented without and with occlusion, as the training data of each implementation makes it."""
    count, width, height = 1, 64, 48
    rng = np.random.default_rng(1)
    images = rng.integers(0, 255, (count, height, width, 3), dtype=np.uint8)
    keypoints = np.stack([rng.uniform(20, 44, (count, NUM_JOINTS)), rng.uniform(12, 36, (count, NUM_JOINTS))], -1)
    labeled = np.ones((count, NUM_JOINTS), bool)
    labeled[0, :4] = False  # right leg unlabeled: the rectangle is centred in the labeled joints' box
    split = {"images": images, "keypoints": keypoints.astype(np.float32), "labeled": labeled}
    outputs = []
    for occlusion in (0.0, 1.0):
        settings = AugmentParams(**{**probability_settings, "occlusion_probability": occlusion})
        if implementation == "tf.data":
            batch = next(iter(make_dataset(split, 4, 1.5, "analytic", 1, augmentation=settings, seed=seed)))
        else:
            batch = batches.make_batches(split, 4, 1.5, "analytic", 1, augmentation=settings, seed=seed)[0]
        outputs.append(tuple(np.asarray(value)[0] for value in batch))
    return outputs, keypoints[0][labeled[0]]


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_occlusion_paints_one_rectangle_on_the_body_and_changes_nothing_else(implementation):
    still = dict(flip_probability=0.0, rotation_degrees=0.0, scale_range=0.0, shift_range=0.0, loose_probability=0.0,
                 **NO_COLOUR)
    (plain, occluded), labeled_points = occluded_pair(implementation, still)
    np.testing.assert_array_equal(plain[1], occluded[1])  # the targets: joints under it stay labeled
    changed = (plain[0] != occluded[0]).any(-1)
    rows, columns = np.flatnonzero(changed.any(1)), np.flatnonzero(changed.any(0))
    box = occluded[0][rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1]
    assert (box == box[0, 0]).all()  # one rectangle of one colour (pixels it happens to match stay "unchanged")
    area = len(rows) * len(columns) / (64 * 48)
    assert 0.02 * 0.5 <= area <= 0.2 * 1.5  # whole pixels around a real-valued box
    centre = np.array([(columns[0] + columns[-1]) / 2, (rows[0] + rows[-1]) / 2])
    assert (centre >= labeled_points.min(0) - 1).all() and (centre <= labeled_points.max(0) + 1).all()
    moving = dict(flip_probability=0.5, rotation_degrees=30.0, scale_range=0.2, loose_probability=0.0)
    (plain, occluded), _ = occluded_pair(implementation, moving, seed=9)
    np.testing.assert_array_equal(plain[1], occluded[1])  # its draws leave the other augmentation's alone


def half_body(implementation, keypoints, labeled, seed, settings, width=64, height=64):
    """One tight crop framed around half the body (if the drawn half has the joints), as numpy keypoints."""
    image = np.zeros((height, width, 3), np.float32)
    if implementation == "tf.data":
        framing = input_pipeline.half_body_framing(np.array([seed, seed + 1]), keypoints, labeled, width, height, 1.0)
        result = input_pipeline.augment(image, keypoints, labeled, np.array([seed, seed + 1]), settings, framing)
    else:
        framing = batches.half_body_framing(np.random.default_rng(seed), keypoints, labeled, width, height)
        result = batches.augment(image, keypoints, labeled, np.random.default_rng(seed), settings, framing)
    return np.asarray(result[1])


def upper_and_lower_body(width=64, height=64):
    """Keypoints (K, 2): the upper body's joints in the top half of the crop, the lower body's in the bottom half."""
    rng = np.random.default_rng(5)
    upper = batches.UPPER_BODY_MASK
    keypoints = np.where(upper[:, None], rng.uniform([20, 6], [44, 30], (NUM_JOINTS, 2)),
                         rng.uniform([24, 36], [40, 60], (NUM_JOINTS, 2)))
    return keypoints.astype(np.float32), upper


def one_person_split(count, seed):
    """A split of ``count`` random 64x64 images, all with :func:`upper_and_lower_body`'s joints, every one labeled."""
    keypoints, _ = upper_and_lower_body()
    rng = np.random.default_rng(seed)
    return {"images": rng.integers(0, 255, (count, 64, 64, 3), dtype=np.uint8),
            "keypoints": np.tile(keypoints, (count, 1, 1)), "labeled": np.ones((count, NUM_JOINTS), bool)}


def first_augmented_batch(implementation, split, settings):
    """The first training batch (the whole split, stride 4, seed 3) as numpy (images, targets)."""
    count = len(split["images"])
    if implementation == "tf.data":
        batch = next(iter(make_dataset(split, 4, 1.5, "analytic", count, augmentation=settings, seed=3)))
    else:
        batch = batches.make_batches(split, 4, 1.5, "analytic", count, augmentation=settings, seed=3)[0]
    return tuple(np.asarray(value) for value in batch)


def off_and_on_batches(implementation, count, split_seed, **lever):
    """The first batch of a :func:`one_person_split` with the default augmentation, checked to repeat
    exactly, and with ``lever`` (AugmentParams fields) switched on: (off, on), each (images, targets)."""
    split = one_person_split(count, split_seed)
    off, again = (first_augmented_batch(implementation, split, AugmentParams()) for _ in range(2))
    np.testing.assert_array_equal(off[0], again[0])
    return off, first_augmented_batch(implementation, split, AugmentParams(**lever))


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_half_body_framing_centres_and_magnifies_one_half(implementation):
    keypoints, upper = upper_and_lower_body()
    still = AugmentParams(flip_probability=0.0, rotation_degrees=0.0, scale_range=0.0, shift_range=0.0, **NO_COLOUR)
    halves = set()
    for seed in range(8):
        moved = half_body(implementation, keypoints, np.ones(NUM_JOINTS, bool), seed, still)
        for name, half in (("upper", upper), ("lower", ~upper)):
            before, after = keypoints[half], moved[half]
            centre = (after.min(0) + after.max(0)) / 2
            if np.allclose(centre, 31.5, atol=0.01):
                halves.add(name)
                # Its joints' box magnified to fill the frame with the margin, or as far as the cap allows.
                expected_side = min(64 / batches.HALF_BODY_MARGIN,
                                    np.ptp(before, axis=0).max() * batches.HALF_BODY_MAX_ZOOM)
                assert np.ptp(after, axis=0).max() == pytest.approx(expected_side, rel=1e-4)
                assert np.ptp(after, axis=0).max() > 1.5 * np.ptp(before, axis=0).max()
    assert halves == {"upper", "lower"}  # even odds: eight draws see both


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_half_body_framing_needs_three_labeled_joints_in_the_half(implementation):
    keypoints, upper = upper_and_lower_body()
    labeled = np.zeros(NUM_JOINTS, bool)
    labeled[np.flatnonzero(upper)[:2]] = labeled[np.flatnonzero(~upper)[:2]] = True
    still = AugmentParams(flip_probability=0.0, rotation_degrees=0.0, scale_range=0.0, shift_range=0.0, **NO_COLOUR)
    for seed in range(4):
        np.testing.assert_allclose(half_body(implementation, keypoints, labeled, seed, still), keypoints, atol=1e-4)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_half_body_share_changes_batches_and_leaves_the_rest_alone(implementation):
    count = 8
    off, on = off_and_on_batches(implementation, count, 2, half_body_probability=1.0)
    assert not np.allclose(off[1], on[1])  # the targets moved: half the body fills the frame
    # Every sample's heatmap peaks lie farther apart than without: the frame is magnified.
    assert (np.ptp(on[1].reshape(count, -1, NUM_JOINTS).argmax(1), 1)
            >= np.ptp(off[1].reshape(count, -1, NUM_JOINTS).argmax(1), 1)).mean() >= 0.5


def shifted(implementation, keypoints, labeled, seed, settings, shift_range, width=64, height=48):
    """One tight crop framed off-centre by :func:`shifted_framing` (nothing else moving), as numpy keypoints."""
    image = np.zeros((height, width, 3), np.float32)
    if implementation == "tf.data":
        framing = input_pipeline.shifted_framing(np.array([seed, seed + 1]), None, width, height, shift_range)
        result = input_pipeline.augment(image, keypoints, labeled, np.array([seed, seed + 1]), settings, framing)
    else:
        framing = batches.shifted_framing(np.random.default_rng(seed), None, width, height, shift_range)
        result = batches.augment(image, keypoints, labeled, np.random.default_rng(seed), settings, framing)
    return np.asarray(result[1])


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_shifted_framing_moves_every_joint_alike_within_the_range(implementation):
    keypoints, _ = upper_and_lower_body(64, 48)
    still = AugmentParams(flip_probability=0.0, rotation_degrees=0.0, scale_range=0.0, shift_range=0.0, **NO_COLOUR)
    offsets = []
    for seed in range(16):
        moved = shifted(implementation, keypoints, np.ones(NUM_JOINTS, bool), seed, still, 0.2)
        offset = moved - keypoints
        np.testing.assert_allclose(offset, np.broadcast_to(offset[0], offset.shape), atol=1e-3)  # no zoom, no turn
        offsets.append(offset[0])
    offsets = np.array(offsets)
    assert (np.abs(offsets) <= 0.2 * 48 + 1e-3).all()  # a share of the shorter side, per axis
    assert (offsets > 2).any(axis=0).all() and (offsets < -2).any(axis=0).all()  # both ways on both axes


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_shift_range_changes_batches_and_leaves_the_rest_alone(implementation):
    count = 8
    off, on = off_and_on_batches(implementation, count, 4, shift_range=0.3)
    assert not np.allclose(off[1], on[1])  # the targets moved with the framing
    # The same flip, rotation and scale draws: only the centre moved, so every joint in frame moved
    # by its sample's one offset (peaks decoded by DARK, exact on Gaussians, away from the
    # border, where its window is cut).
    peaks_off, found_off = decode(off[1], "dark")
    peaks_on, found_on = decode(on[1], "dark")
    inside = lambda peaks: ((peaks >= 2.5) & (peaks <= off[1].shape[1] - 3.5)).all(axis=-1)
    checked = 0
    for sample in range(count):
        both = (found_off[sample] > 0.9) & (found_on[sample] > 0.9) & inside(peaks_off[sample]) & inside(peaks_on[sample])
        if both.sum() >= 2:
            offset = peaks_on[sample][both] - peaks_off[sample][both]
            np.testing.assert_allclose(offset, np.broadcast_to(offset[0], offset.shape), atol=0.15)
            checked += 1
    assert checked >= count // 2
