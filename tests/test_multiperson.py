"""Multi-peak decoding and grouping on synthetic two-person heatmaps."""

import numpy as np

from pose.codec.heatmaps import render_analytic
from pose.joints import NUM_JOINTS
from pose.inference.multiperson import detect_people, find_peaks


def test_find_peaks_suppresses_neighbours_and_sorts():
    heatmap = np.zeros((10, 16))
    heatmap[2, 3], heatmap[2, 4], heatmap[7, 12] = 0.9, 0.8, 0.95
    peaks = find_peaks(heatmap, threshold=0.5, radius=2)
    np.testing.assert_allclose(peaks, [[12, 7, 0.95], [3, 2, 0.9]], atol=1e-6)


def two_people(width=60, height=32):
    rng = np.random.default_rng(0)
    first = rng.uniform(2, 8, (NUM_JOINTS, 2)) + (8, 10)
    second = first + (30, 4)  # same pose, 30 px to the right
    keypoints = np.stack([first, second])
    maps = render_analytic(keypoints, np.ones((2, NUM_JOINTS), bool), width, height, 1.0)
    return keypoints, maps.max(axis=0)  # both people in one set of maps


def test_two_people_are_separated():
    keypoints, heatmaps = two_people()
    people = detect_people(heatmaps, threshold=0.3, radius=1, max_bone=12)
    assert people.shape == (2, NUM_JOINTS, 3)
    found = people[np.argsort(people[:, 7, 0]), :, :2]  # order by thorax x
    np.testing.assert_allclose(found, np.round(keypoints), atol=1.0)


def test_nothing_above_threshold_means_nobody():
    assert detect_people(np.zeros((8, 8, NUM_JOINTS))).shape == (0, NUM_JOINTS, 3)
