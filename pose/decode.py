"""Heatmaps -> keypoints. Pure numpy functions.

Coordinates come out in heatmap pixels; :func:`pose.heatmaps.heatmap_to_crop` takes them to
the model input, and a sample's ``crop_to_image`` affine to the original photo.
"""

import numpy as np


def argmax_with_quarter_offset(heatmaps):
    """Peak of each map, moved a quarter pixel towards the higher neighbour (Newell et al.).

    Args:
        heatmaps: (N, H, W, K).
    Returns:
        (keypoints (N, K, 2) x, y heatmap pixels, confidence (N, K) peak values).
    """
    heatmaps = np.asarray(heatmaps, dtype=np.float32)
    count, height, width, joints = heatmaps.shape
    flat = heatmaps.transpose(0, 3, 1, 2).reshape(count, joints, height * width)
    index = flat.argmax(axis=2)
    confidence = np.take_along_axis(flat, index[..., None], axis=2)[..., 0]
    rows, columns = np.divmod(index, width)
    maps = heatmaps.transpose(0, 3, 1, 2)  # (N, K, H, W)
    n, k = np.indices((count, joints))

    def value(r, c):
        return maps[n, k, np.clip(r, 0, height - 1), np.clip(c, 0, width - 1)]

    dx = np.sign(value(rows, columns + 1) - value(rows, columns - 1))
    dy = np.sign(value(rows + 1, columns) - value(rows - 1, columns))
    # At the border the missing neighbour is clipped to the peak itself, which biases towards the inside.
    keypoints = np.stack([columns + 0.25 * dx, rows + 0.25 * dy], axis=-1).astype(np.float32)
    return keypoints, confidence
