"""Decoding and metrics on hand-built cases (non-square maps, so a swapped axis fails)."""

import numpy as np
import pytest

from pose.decode import argmax_with_quarter_offset
from pose.heatmaps import render_analytic
from pose.joints import JOINT_INDEX, NUM_JOINTS
from pose.metrics import pck, torso_size


def test_argmax_quarter_offset_on_non_square_map():
    truth = np.array([[[10.2, 3.0], [4.0, 6.8]]])
    heatmaps = render_analytic(truth, np.ones((1, 2), bool), width=20, height=9, sigma=1.5)
    keypoints, confidence = argmax_with_quarter_offset(heatmaps)
    np.testing.assert_allclose(keypoints, [[[10.25, 3.0], [4.0, 6.75]]])
    assert confidence.shape == (1, 2) and (confidence > 0.9).all()


def test_pck_by_hand():
    truth = np.zeros((2, NUM_JOINTS, 2))
    truth[:, JOINT_INDEX["l_shoulder"]] = (0, 0)
    truth[:, JOINT_INDEX["r_hip"]] = (30, 40)  # torso 50 -> threshold 10 px at alpha 0.2
    labeled = np.ones((2, NUM_JOINTS), bool)
    labeled[1, 5] = False
    predicted = truth.copy()
    predicted[0, :4] += (6, 8)  # 10 px off: still correct (<=)
    predicted[0, 4:6] += (6, 9)  # over 10 px: wrong
    predicted[1, 5] += 100  # unlabeled: not counted
    reference = torso_size(truth, labeled)
    np.testing.assert_allclose(reference, [50, 50])
    assert pck(predicted, truth, labeled, reference, 0.2) == pytest.approx((32 - 1 - 2) / 31)


def test_person_without_torso_is_not_counted():
    truth = np.zeros((1, NUM_JOINTS, 2))
    labeled = np.ones((1, NUM_JOINTS), bool)
    labeled[0, JOINT_INDEX["r_hip"]] = False
    assert np.isnan(pck(truth, truth, labeled, torso_size(truth, labeled), 0.2))
