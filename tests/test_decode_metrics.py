"""Decoding and metrics on hand-built cases (non-square maps, so a swapped axis fails)."""

import numpy as np
import pytest

from pose.codec.decode import argmax_with_quarter_offset
from pose.codec.heatmaps import render_analytic
from pose.joints import JOINT_INDEX, NUM_JOINTS
from pose.metrics import group_means, head_size, pck, pck_curve, pixel_errors, torso_size


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


def test_head_size_from_boxes_and_fallback():
    np.testing.assert_allclose(head_size(head_boxes=np.array([[10, 20, 40, 60]])), [0.6 * 50])
    joints = np.zeros((2, NUM_JOINTS, 2))
    joints[:, JOINT_INDEX["head_top"]] = (3, 4)
    labeled = np.ones((2, NUM_JOINTS), bool)
    labeled[1, JOINT_INDEX["upper_neck"]] = False
    np.testing.assert_allclose(head_size(joints=joints, labeled=labeled), [5, np.nan])


def test_group_means_by_hand():
    values = np.zeros((2, NUM_JOINTS))
    values[:, JOINT_INDEX["r_wrist"]] = 1.0  # a limb joint
    values[:, JOINT_INDEX["pelvis"]] = 1.0  # not a limb, not in the MPII mean
    valid = np.ones((2, NUM_JOINTS), bool)
    valid[1, JOINT_INDEX["pelvis"]] = False
    means = group_means(values, valid)
    assert means["all"] == pytest.approx(3 / 31)
    assert means["limbs12"] == pytest.approx(2 / 24)
    assert means["mpii"] == pytest.approx(2 / 28)
    assert means["r_wrist"] == 1.0 and means["pelvis"] == 1.0 and means["head_top"] == 0.0


def test_pixel_errors_and_curve():
    truth = np.zeros((1, NUM_JOINTS, 2))
    truth[0, JOINT_INDEX["r_hip"]] = (30, 40)
    predicted = truth.copy()
    predicted[0, 0] += (3, 4)
    errors, valid = pixel_errors(predicted, truth, np.ones((1, NUM_JOINTS), bool))
    assert errors[0, 0] == 5 and errors[0, 1:].sum() == 0 and valid.all()
    curve = pck_curve(predicted, truth, np.ones((1, NUM_JOINTS), bool), np.array([50.0]), [0.0, 0.05, 0.1, 0.5])
    np.testing.assert_allclose(curve, [15 / 16, 15 / 16, 1, 1])
