"""Losses against hand-computed values; unlabeled joints are masked out."""

import numpy as np
import pytest

from pose.codec.heatmaps import UNLABELED
from pose.train.losses import get_loss, mse_loss, soft_iou_loss


def maps(*channels):
    """(1, 2, 2, K) from K 2x2 channels given as nested lists."""
    return np.stack([np.asarray(c, np.float32) for c in channels], axis=-1)[None]


def value(loss, y_true, y_pred):
    return np.asarray(loss(y_true, y_pred))


def test_iou_total_overlap_is_zero():
    y = maps([[1.0, 0.5], [0.0, 0.0]])
    assert value(soft_iou_loss, y, y) == pytest.approx([0.0], abs=1e-6)


def test_iou_no_overlap_is_one():
    assert value(soft_iou_loss, maps([[1, 0], [0, 0]]), maps([[0, 0], [0, 1]])) == pytest.approx([1.0], abs=1e-6)


def test_iou_partial_overlap_by_hand():
    # y = [1, 1, 0, 0], p = [1, 0, 1, 0]: S(yp) = 1, S(y^2) = 2, S(p^2) = 2 -> 1 - 1 / (2 + 2 - 1) = 2/3.
    assert value(soft_iou_loss, maps([[1, 1], [0, 0]]), maps([[1, 0], [1, 0]])) == pytest.approx([2 / 3], abs=1e-6)
    # Soft values: y = [1, .5, 0, 0], p = [.5, .5, 0, 0]: S(yp) = .75, S(y^2) = 1.25, S(p^2) = .5 -> 1 - .75 / 1.
    assert value(soft_iou_loss, maps([[1, .5], [0, 0]]), maps([[.5, .5], [0, 0]])) == pytest.approx([0.25], abs=1e-6)


def test_mse_by_hand():
    # Squared errors 0, .25, 1, 0 -> mean .3125.
    assert value(mse_loss, maps([[1, .5], [0, 0]]), maps([[1, 0], [1, 0]])) == pytest.approx([0.3125])


@pytest.mark.parametrize("name", ["iou", "mse", "weighted_mse"])
def test_unlabeled_joint_is_masked_out(name):
    loss = get_loss(name)
    labeled = [[1, 0], [0, 0]]
    prediction = maps([[1, 0], [0, 0]], [[1, 1], [1, 1]])
    with_unlabeled = value(loss, maps(labeled, np.full((2, 2), UNLABELED)), prediction)
    only_labeled = value(loss, maps(labeled), prediction[..., :1])
    assert with_unlabeled == pytest.approx(only_labeled)
    all_unlabeled = maps(np.full((2, 2), UNLABELED), np.full((2, 2), UNLABELED))
    assert value(loss, all_unlabeled, prediction) == pytest.approx([0.0])


def test_weighted_mse_weights_the_peak():
    # Target peak pixel (1.0 > 0.1) missed by 1: weight 10 -> (10 * 1) / 4 pixels.
    loss = get_loss("weighted_mse", foreground_weight=10.0)
    assert value(loss, maps([[1, 0], [0, 0]]), maps([[0, 0], [0, 0]])) == pytest.approx([2.5])
