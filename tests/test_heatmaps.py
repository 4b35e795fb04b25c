"""Heatmap targets: peak position, non-square maps, sigma, blur and analytic agreement."""

import numpy as np
import pytest

from pose.codec.heatmaps import crop_to_heatmap, heatmap_to_crop, render, render_analytic, render_blur


@pytest.mark.parametrize("method", ["analytic", "blur"])
def test_peak_is_at_the_joint_on_a_non_square_map(method):
    keypoints = np.array([[[5.0, 3.0], [20.0, 9.0]]])  # x, y in a 24 wide, 12 high map
    maps = render(method, keypoints, np.ones((1, 2), bool), width=24, height=12, sigma=1.5)
    assert maps.shape == (1, 12, 24, 2)
    for k, (x, y) in enumerate(keypoints[0]):
        row, column = np.unravel_index(np.argmax(maps[0, :, :, k]), (12, 24))
        assert (column, row) == (x, y)
        assert maps[0, row, column, k] == pytest.approx(1.0)


def test_blur_and_analytic_agree_at_integer_positions():
    keypoints = np.array([[[0, 0], [7, 3], [31, 15], [16, 8], [2, 14]]], dtype=float)
    labeled = np.ones((1, 5), bool)
    for sigma in (1.0, 1.5, 2.0, 3.0):
        analytic = render_analytic(keypoints, labeled, 32, 16, sigma)
        blur = render_blur(keypoints, labeled, 32, 16, sigma)
        assert np.abs(analytic - blur).max() < 1e-3


def test_analytic_keeps_sub_pixel_positions():
    maps = render_analytic(np.array([[[10.25, 4.75]]]), np.ones((1, 1), bool), 20, 10, sigma=2.0)[0, :, :, 0]
    ys, xs = np.mgrid[0:10, 0:20]
    # Weighted centroid of a symmetric Gaussian far from the border is the keypoint.
    assert (maps * xs).sum() / maps.sum() == pytest.approx(10.25, abs=0.02)
    assert (maps * ys).sum() / maps.sum() == pytest.approx(4.75, abs=0.05)


@pytest.mark.parametrize("sigma", [1.0, 2.5])
def test_sigma_sets_the_width(sigma):
    maps = render_analytic(np.array([[[15.0, 15.0]]]), np.ones((1, 1), bool), 31, 31, sigma)[0, :, :, 0]
    # One sigma away the Gaussian is exp(-1/2) of its peak.
    assert np.interp(15 + sigma, np.arange(31), maps[15]) == pytest.approx(np.exp(-0.5), abs=0.03)


@pytest.mark.parametrize("method", ["analytic", "blur"])
def test_unlabeled_joint_has_an_empty_map(method):
    maps = render(method, np.array([[[4.0, 4.0], [6.0, 2.0]]]), np.array([[True, False]]), 8, 8, 1.0)
    assert maps[..., 1].max() == 0 and maps[..., 0].max() == pytest.approx(1.0)


def test_blur_keypoint_outside_is_empty_and_edge_mass_is_not_reflected():
    maps = render_blur(np.array([[[-3.0, 2.0], [0.0, 2.0]]]), np.ones((1, 2), bool), 8, 6, 1.0)
    assert maps[..., 0].max() == 0
    analytic = render_analytic(np.array([[[0.0, 2.0]]]), np.ones((1, 1), bool), 8, 6, 1.0)
    assert np.abs(maps[..., 1] - analytic[..., 0]).max() < 1e-3


def test_heatmap_coordinates_round_trip_and_align_pixel_blocks():
    points = np.array([[0.0, 0.0], [13.7, 2.2]])
    np.testing.assert_allclose(heatmap_to_crop(crop_to_heatmap(points, 4), 4), points)
    # Heatmap pixel 0 is the centre of crop pixels 0..3, i.e. crop x = 1.5.
    np.testing.assert_allclose(crop_to_heatmap([[1.5, 5.5]], 4), [[0.0, 1.0]])
