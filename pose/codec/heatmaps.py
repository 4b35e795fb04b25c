"""Gaussian heatmap targets, one map per joint: the project's heatmap convention, in one place.

Heatmap pixel ``j`` covers crop pixels ``j*stride ... j*stride + stride - 1``, so with pixel
centres at integer coordinates the map is aligned by :func:`crop_to_heatmap`. A joint that is
not labeled for a sample has its whole target channel set to :data:`UNLABELED`, so the mask
travels inside the target (see :mod:`pose.train.losses`).

Two renderers of the same target, each in numpy (tests, benchmarks) and in TensorFlow (the
input pipeline, after augmentation has moved the keypoints):

* ``blur``: as the original work describes: a zero map with 1 at the (rounded) keypoint,
  ``cv2.GaussianBlur``, normalised to peak 1. Positions snap to whole heatmap pixels.
* ``analytic``: ``exp(-d^2 / (2 sigma^2))`` evaluated directly, vectorised over persons and
  joints; keeps sub-pixel positions. At whole-pixel positions both agree within 1e-3.
"""

import math

import cv2
import numpy as np

UNLABELED = -1.0  # value of every pixel of an unlabeled joint's target channel


def crop_to_heatmap(points, stride):
    """Crop-pixel coordinates (..., 2) to heatmap-pixel coordinates.

    Lists become float64 arrays; numpy arrays and TF tensors keep their type (the input
    pipeline calls this on float32 tensors).
    """
    if isinstance(points, (list, tuple)):
        points = np.asarray(points, dtype=np.float64)
    return (points + 0.5) / stride - 0.5


def heatmap_to_crop(points, stride):
    """Heatmap-pixel coordinates (..., 2) to crop-pixel coordinates (inverse of the above)."""
    return (np.asarray(points, dtype=np.float64) + 0.5) * stride - 0.5


def render_analytic(keypoints, labeled, width, height, sigma):
    """Gaussian targets at sub-pixel positions.

    Args:
        keypoints: (N, K, 2) x, y in heatmap pixels.
        labeled: (N, K) bool; unlabeled joints get an all-zero map.
        width, height: heatmap size in pixels.
        sigma: standard deviation in heatmap pixels.
    Returns:
        (N, height, width, K) float32 with peak 1 at each labeled keypoint inside the map.
    """
    keypoints = np.asarray(keypoints, dtype=np.float32)
    xs = np.arange(width, dtype=np.float32)
    ys = np.arange(height, dtype=np.float32)
    # Separable: exp(-(dx^2 + dy^2) / 2s^2) = exp(-dx^2 / 2s^2) * exp(-dy^2 / 2s^2).
    gx = np.exp(-((xs[None, None, :] - keypoints[..., 0:1]) ** 2) / (2 * sigma**2))  # (N, K, W)
    gy = np.exp(-((ys[None, None, :] - keypoints[..., 1:2]) ** 2) / (2 * sigma**2))  # (N, K, H)
    maps = gy[:, :, :, None] * gx[:, :, None, :]  # (N, K, H, W)
    maps *= np.asarray(labeled, dtype=np.float32)[:, :, None, None]
    return np.ascontiguousarray(maps.transpose(0, 2, 3, 1))


def blur_kernel_size(sigma):
    """Odd kernel size reaching 4 sigma, where the Gaussian has fallen below 1e-3 of its peak."""
    return 2 * math.ceil(4 * sigma) + 1


def render_blur(keypoints, labeled, width, height, sigma):
    """Targets as the original work builds them: one-hot map, ``cv2.GaussianBlur``, peak 1.

    Same arguments and result as :func:`render_analytic`; positions are rounded to whole
    heatmap pixels, and a keypoint rounding outside the map gives an all-zero map.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64)
    count, joints = keypoints.shape[:2]
    maps = np.zeros((count, height, width, joints), dtype=np.float32)
    size = blur_kernel_size(sigma)
    columns = np.rint(keypoints[..., 0]).astype(int)
    rows = np.rint(keypoints[..., 1]).astype(int)
    inside = np.asarray(labeled, dtype=bool) & (columns >= 0) & (columns < width) & (rows >= 0) & (rows < height)
    for n, k in zip(*np.nonzero(inside)):
        one_hot = np.zeros((height, width), dtype=np.float32)
        one_hot[rows[n, k], columns[n, k]] = 1.0
        # Constant border: mass must not reflect back in for keypoints near the edge.
        blurred = cv2.GaussianBlur(one_hot, (size, size), sigma, sigmaY=sigma, borderType=cv2.BORDER_CONSTANT)
        maps[n, :, :, k] = blurred / blurred.max()
    return maps


def render_analytic_tf(keypoints, labeled, width, height, sigma):
    """TensorFlow twin of :func:`render_analytic` for one sample.

    Args:
        keypoints: (K, 2) float32 tensor, heatmap pixels. labeled: (K,) bool tensor.
    Returns:
        (height, width, K) float32; unlabeled channels are all :data:`UNLABELED`.
    """
    import tensorflow as tf

    xs = tf.range(width, dtype=tf.float32)
    ys = tf.range(height, dtype=tf.float32)
    gx = tf.exp(-tf.square(xs[None, :] - keypoints[:, 0:1]) / (2 * sigma**2))  # (K, W)
    gy = tf.exp(-tf.square(ys[None, :] - keypoints[:, 1:2]) / (2 * sigma**2))  # (K, H)
    maps = tf.transpose(gy[:, :, None] * gx[:, None, :], (1, 2, 0))  # (H, W, K)
    return tf.where(labeled[None, None, :], maps, UNLABELED)


def render_blur_tf(keypoints, labeled, width, height, sigma):
    """:func:`render_blur` inside a TensorFlow graph (through ``tf.numpy_function``); as :func:`render_analytic_tf`."""
    import tensorflow as tf

    def render_one(points, flags):
        maps = render_blur(points[None], flags[None], width, height, sigma)[0]
        return np.where(flags[None, None, :], maps, UNLABELED).astype(np.float32)

    maps = tf.numpy_function(render_one, [keypoints, labeled], tf.float32)
    return tf.ensure_shape(maps, (height, width, keypoints.shape[0]))


# heatmaps.method -> (numpy renderer of (N, K, 2) keypoints, TensorFlow renderer of one sample's (K, 2))
RENDERERS = {"analytic": (render_analytic, render_analytic_tf), "blur": (render_blur, render_blur_tf)}


def render(method, keypoints, labeled, width, height, sigma):
    """Render with the ``heatmaps.method`` named in params (``analytic`` or ``blur``), in numpy."""
    return RENDERERS[method][0](keypoints, labeled, width, height, sigma)


def render_tf(method, keypoints, labeled, width, height, sigma):
    """Render one sample's targets in TensorFlow with the named method; unlabeled channels :data:`UNLABELED`."""
    return RENDERERS[method][1](keypoints, labeled, width, height, sigma)
