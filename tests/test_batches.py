"""The numpy/OpenCV batches (JAX, PyTorch): targets, colour jitter, seeded epochs, order; geometry in test_input_pipeline.py."""

import numpy as np
import pytest

from pose.codec.heatmaps import UNLABELED, render_analytic
from pose.joints import NUM_JOINTS
from pose.params import AugmentParams
from pose.train.batches import _jitter_colour, make_batches, render_targets
from tests.test_input_pipeline import NO_COLOUR, arrays, arrays_of_photos

def test_targets_are_the_numpy_renderer_with_unlabeled_channels_marked():
    keypoints = np.array([[[3.3, 2.7], [10.0, 5.5]]], np.float32)  # crop pixels, stride 1
    labeled = np.array([[True, False]])
    targets = render_targets("analytic", keypoints, labeled, 1, 16, 8, 1.5)
    expected = render_analytic(keypoints + 0.0, labeled, 16, 8, 1.5)
    np.testing.assert_allclose(targets[..., 0], expected[..., 0], atol=1e-6)
    assert targets.shape == (1, 8, 16, 2) and (targets[..., 1] == UNLABELED).all()


def test_colour_jitter_off_keeps_the_image_and_saturation_keeps_hue_and_value():
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, (6, 10, 3)).astype(np.float32)
    image[0, 0] = 128  # a grey pixel
    unchanged = _jitter_colour(image, np.random.default_rng(1), AugmentParams(**NO_COLOUR))
    np.testing.assert_allclose(unchanged, image, atol=1e-4)
    for seed in range(5):
        saturated = _jitter_colour(image, np.random.default_rng(seed),
                                   AugmentParams(brightness=0.0, contrast=0.0, saturation=0.5))
        np.testing.assert_allclose(saturated.max(axis=2), image.max(axis=2), atol=1e-3)  # value kept
        np.testing.assert_allclose(saturated[0, 0], [128, 128, 128], atol=1e-3)  # grey stays grey
        # Hue kept: the channels' distances below the brightest one scale by one factor per pixel.
        before, after = image.max(axis=2, keepdims=True) - image, saturated.max(axis=2, keepdims=True) - saturated
        for row, column in np.ndindex(image.shape[:2]):
            varied = before[row, column] > 1
            ratios = after[row, column][varied] / before[row, column][varied]
            assert len(ratios) == 0 or np.ptp(ratios) < 1e-3


@pytest.mark.parametrize("method", ["analytic", "blur"])
def test_dataset_shapes_and_reproducible_augmentation(method):
    data = arrays()
    first = make_batches(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=7)[0]
    second = make_batches(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=7)[0]
    assert first[0].shape == (4, 64, 64, 3) and first[1].shape == (4, 16, 16, NUM_JOINTS)
    assert first[0].dtype == np.float32 and first[1].dtype == np.float32
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    other = make_batches(data, 4, 1.5, method, 4, augmentation=AugmentParams(), seed=8)[0]
    assert not np.array_equal(first[0], other[0])


def test_a_batch_does_not_depend_on_which_batches_were_made_before():
    """Workers make batches in any order: a batch is a function of (seed, epoch, index) only."""
    forward = make_batches(arrays(count=12), 4, 1.5, "analytic", 4, augmentation=AugmentParams(), seed=3)
    backward = make_batches(arrays(count=12), 4, 1.5, "analytic", 4, augmentation=AugmentParams(), seed=3)
    made_forward = [forward[index][0] for index in range(3)]
    made_backward = [backward[index][0] for index in reversed(range(3))][::-1]
    for one, other in zip(made_forward, made_backward):
        np.testing.assert_array_equal(one, other)


def test_each_epoch_is_a_new_permutation_in_full_batches():
    batches = make_batches(arrays(count=10), 4, 1.5, "analytic", 4, augmentation=AugmentParams(), seed=0)
    assert len(batches) == 2  # 10 samples: two full batches, the remainder waits for another order
    orders = []
    for epoch in range(3):
        batches.epoch = epoch
        order = np.concatenate([batches.sample_indices(index) for index in range(len(batches))])
        assert len(set(order.tolist())) == 8 and set(order.tolist()) <= set(range(10))
        orders.append(order)
    assert not np.array_equal(orders[0], orders[1]) and not np.array_equal(orders[1], orders[2])
    batches.epoch = 0
    first = batches[0][0]
    batches.epoch = 1
    assert not np.array_equal(first, batches[0][0])


def test_evaluation_dataset_is_unchanged_and_in_order():
    data = arrays(count=5)
    batches = make_batches(data, 4, 1.5, "analytic", 3)
    assert len(batches) == 2 and len(batches[1][0]) == 2  # the last batch is short, nothing dropped
    images = np.concatenate([batches[index][0] for index in range(2)])
    targets = np.concatenate([batches[index][1] for index in range(2)])
    np.testing.assert_array_equal(images, data["images"].astype(np.float32))
    expected = render_analytic((data["keypoints"] + 0.5) / 4 - 0.5, data["labeled"], 16, 16, 1.5)
    expected[~np.broadcast_to(data["labeled"][:, None, None, :], expected.shape)] = UNLABELED
    np.testing.assert_allclose(targets, expected, atol=1e-5)
    with pytest.raises(IndexError):
        batches[2]


def test_loose_share_of_a_dataset_follows_the_probability():
    data = arrays_of_photos()
    context = dict(data)
    none = AugmentParams(loose_probability=0.0, **NO_COLOUR)
    every = AugmentParams(loose_probability=1.0, **NO_COLOUR)
    tight = make_batches(data, 4, 1.5, "analytic", 8, augmentation=none, context=context)[0][0]
    loose = make_batches(data, 4, 1.5, "analytic", 8, augmentation=every, context=context)[0][0]
    assert not np.allclose(tight, loose)
    # Over many samples the loose share follows the probability: black tight crops, white context crops.
    data["images"][:] = 0
    context = dict(data, images=np.full_like(data["images"], 255))
    batches = make_batches(data, 4, 1.5, "analytic", 8,
                           augmentation=AugmentParams(loose_probability=0.3, **NO_COLOUR), context=context)
    white = []
    for epoch in range(25):
        batches.epoch = epoch
        white += [image.max() > 0 for index in range(len(batches)) for image in batches[index][0]]
    assert len(white) == 400 and 0.24 < np.mean(white) < 0.36
