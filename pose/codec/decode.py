"""Heatmaps -> keypoints. Pure numpy functions.

Coordinates come out in heatmap pixels; :func:`pose.codec.heatmaps.heatmap_to_crop` takes them to
the model input, and a sample's ``crop_to_image`` affine to the original photo.
"""

import numpy as np


def _peak_indices(heatmaps):
    """Integer argmax per map: (columns (N, K), rows (N, K), confidence (N, K))."""
    count, height, width, joints = heatmaps.shape
    flat = heatmaps.transpose(0, 3, 1, 2).reshape(count, joints, height * width)
    index = flat.argmax(axis=2)
    confidence = np.take_along_axis(flat, index[..., None], axis=2)[..., 0]
    rows, columns = np.divmod(index, width)
    return columns, rows, confidence


def argmax_with_quarter_offset(heatmaps):
    """Peak of each map, moved a quarter pixel towards the higher neighbour (Newell et al.).

    Args:
        heatmaps: (N, H, W, K).
    Returns:
        (keypoints (N, K, 2) x, y heatmap pixels, confidence (N, K) peak values).
    """
    heatmaps = np.asarray(heatmaps, dtype=np.float32)
    count, height, width, joints = heatmaps.shape
    columns, rows, confidence = _peak_indices(heatmaps)
    maps = heatmaps.transpose(0, 3, 1, 2)  # (N, K, H, W)
    n, k = np.indices((count, joints))

    def value(r, c):
        return maps[n, k, np.clip(r, 0, height - 1), np.clip(c, 0, width - 1)]

    dx = np.sign(value(rows, columns + 1) - value(rows, columns - 1))
    dy = np.sign(value(rows + 1, columns) - value(rows - 1, columns))
    # At the border the missing neighbour is clipped to the peak itself, which never exceeds the
    # inner neighbour, so a peak on the border moves a quarter pixel outwards (towards the edge).
    keypoints = np.stack([columns + 0.25 * dx, rows + 0.25 * dy], axis=-1).astype(np.float32)
    return keypoints, confidence


def _window(heatmaps, columns, rows, radius):
    """(N, K, 2r+1, 2r+1) values around each peak; positions outside the map read as 0."""
    count, height, width, joints = heatmaps.shape
    padded = np.pad(heatmaps.transpose(0, 3, 1, 2), ((0, 0), (0, 0), (radius, radius), (radius, radius)))
    offsets = np.arange(2 * radius + 1)
    n, k = np.indices((count, joints))
    return padded[n[..., None, None], k[..., None, None],
                  (rows[..., None, None] + offsets[:, None]), (columns[..., None, None] + offsets[None, :])]


def dark_refinement(heatmaps, epsilon=1e-10):
    """Argmax refined by a second-order Taylor expansion of the log heatmap (DARK, Zhang et al. 2020).

    For a Gaussian the log is a quadratic, so the refinement is exact; where the Hessian is not
    negative definite (flat tops, plateaus, borders) the plain argmax is kept.

    Args:
        heatmaps: (N, H, W, K).
    Returns:
        (keypoints (N, K, 2) x, y heatmap pixels, confidence (N, K) peak values).
    """
    heatmaps = np.asarray(heatmaps, dtype=np.float64)
    columns, rows, confidence = _peak_indices(heatmaps)
    logs = np.log(np.maximum(_window(heatmaps, columns, rows, 1), epsilon))  # (N, K, 3, 3)
    dx = (logs[..., 1, 2] - logs[..., 1, 0]) / 2
    dy = (logs[..., 2, 1] - logs[..., 0, 1]) / 2
    dxx = logs[..., 1, 2] - 2 * logs[..., 1, 1] + logs[..., 1, 0]
    dyy = logs[..., 2, 1] - 2 * logs[..., 1, 1] + logs[..., 0, 1]
    dxy = (logs[..., 2, 2] - logs[..., 2, 0] - logs[..., 0, 2] + logs[..., 0, 0]) / 4
    determinant = dxx * dyy - dxy**2
    usable = (determinant > 1e-12) & (dxx < 0)
    safe = np.where(usable, determinant, 1.0)
    # offset = -H^-1 g with H = [[dxx, dxy], [dxy, dyy]].
    offset_x = -(dyy * dx - dxy * dy) / safe
    offset_y = -(dxx * dy - dxy * dx) / safe
    usable &= (np.abs(offset_x) <= 1) & (np.abs(offset_y) <= 1)
    keypoints = np.stack([columns + np.where(usable, offset_x, 0.0), rows + np.where(usable, offset_y, 0.0)], -1)
    return keypoints.astype(np.float32), confidence.astype(np.float32)


def weighted_centroid(heatmaps, radius=2):
    """Centre of mass of each map in a (2r+1)^2 window around its maximum.

    Robust on flat-topped maps (soft-IoU training) and after int8 quantisation, where several
    cells share the maximum and argmax picks one of them arbitrarily.

    Returns:
        (keypoints (N, K, 2) x, y heatmap pixels, confidence (N, K) peak values).
    """
    heatmaps = np.asarray(heatmaps, dtype=np.float64)
    columns, rows, confidence = _peak_indices(heatmaps)
    window = np.maximum(_window(heatmaps, columns, rows, radius), 0.0)
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    mass = window.sum(axis=(-1, -2))
    safe = np.where(mass > 0, mass, 1.0)
    offset_x = (window * offsets[None, :]).sum(axis=(-1, -2)) / safe
    offset_y = (window * offsets[:, None]).sum(axis=(-1, -2)) / safe
    keypoints = np.stack([columns + offset_x, rows + offset_y], -1)
    return keypoints.astype(np.float32), confidence.astype(np.float32)


def plain_argmax(heatmaps):
    """Whole-pixel argmax: (keypoints (N, K, 2), confidence (N, K))."""
    columns, rows, confidence = _peak_indices(np.asarray(heatmaps))
    return np.stack([columns, rows], -1).astype(np.float32), confidence.astype(np.float32)


DECODERS = {
    "argmax": plain_argmax,
    "quarter_offset": argmax_with_quarter_offset,
    "dark": dark_refinement,
    "centroid": weighted_centroid,
}


def decode(heatmaps, method):
    """Keypoints (N, K, 2) heatmap pixels and confidence (N, K) by the decoder named ``method``."""
    return DECODERS[method](heatmaps)


def flip_heatmaps_back(flipped_heatmaps, flip_permutation):
    """Heatmaps predicted on mirrored images, mapped back onto the unmirrored ones.

    Mirror each map horizontally and swap left/right channels. With the pixel-centre
    convention of :mod:`pose.codec.heatmaps`, heatmap column ``j`` of a mirrored input is column
    ``W - 1 - j`` of the original, so the mapping is exact.
    """
    return np.asarray(flipped_heatmaps)[:, :, ::-1, :][..., list(flip_permutation)]
