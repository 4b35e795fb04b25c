"""Decoders on analytic heatmaps at known sub-pixel positions, on non-square maps."""

import numpy as np
import pytest

from pose.codec.decode import decode, dark_refinement, flip_heatmaps_back, weighted_centroid
from pose.codec.heatmaps import render_analytic
from pose.joints import NUM_JOINTS, flip_permutation


def known_maps(seed=0, count=20, width=40, height=24, sigma=1.5):
    rng = np.random.default_rng(seed)
    truth = np.stack([rng.uniform(4, width - 5, (count, 3)), rng.uniform(4, height - 5, (count, 3))], -1)
    return truth, render_analytic(truth, np.ones(truth.shape[:2], bool), width, height, sigma)


@pytest.mark.parametrize("sigma", [1.0, 1.5, 2.5])
def test_dark_is_within_a_tenth_of_a_pixel(sigma):
    truth, heatmaps = known_maps(sigma=sigma)
    keypoints, confidence = dark_refinement(heatmaps)
    assert np.abs(keypoints - truth).max() < 0.1
    assert (confidence > 0.75).all()


def test_centroid_is_within_a_tenth_of_a_pixel_on_gaussians():
    truth, heatmaps = known_maps(sigma=1.5)
    keypoints, _ = weighted_centroid(heatmaps, radius=3)
    assert np.abs(keypoints - truth).max() < 0.1


def test_refinement_beats_argmax():
    truth, heatmaps = known_maps()
    errors = {m: np.abs(decode(heatmaps, m)[0] - truth).mean() for m in ("argmax", "quarter_offset", "dark", "centroid")}
    assert errors["dark"] < errors["quarter_offset"] < errors["argmax"]
    assert errors["centroid"] < errors["argmax"]


def test_centroid_holds_on_a_flat_top_where_argmax_picks_a_corner():
    heatmaps = np.zeros((1, 10, 14, 1), np.float32)
    heatmaps[0, 3:6, 5:9, 0] = 1.0  # plateau centred at x = 6.5, y = 4
    keypoints, _ = weighted_centroid(heatmaps)
    np.testing.assert_allclose(keypoints[0, 0], [6.5, 4.0], atol=0.5)
    argmax, _ = decode(heatmaps, "argmax")
    assert abs(argmax[0, 0, 0] - 6.5) >= 1.5  # the first maximum in scan order


def test_dark_stays_on_a_plateau():
    heatmaps = np.zeros((1, 9, 9, 1))
    heatmaps[0, 3:6, 3:6, 0] = 1.0
    keypoints, _ = dark_refinement(heatmaps)
    assert (keypoints[0, 0] >= 3).all() and (keypoints[0, 0] <= 5).all()


def test_flip_back_restores_positions_and_swaps_sides():
    truth = np.zeros((1, NUM_JOINTS, 2))
    truth[0, :, 0] = np.linspace(3, 20, NUM_JOINTS)
    truth[0, :, 1] = 5
    width = 24
    heatmaps = render_analytic(truth, np.ones((1, NUM_JOINTS), bool), width, 12, 1.5)
    mirrored_truth = truth[:, list(flip_permutation())].copy()
    mirrored_truth[..., 0] = width - 1 - mirrored_truth[..., 0]
    mirrored = render_analytic(mirrored_truth, np.ones((1, NUM_JOINTS), bool), width, 12, 1.5)
    np.testing.assert_allclose(flip_heatmaps_back(mirrored, flip_permutation()), heatmaps, atol=1e-6)
