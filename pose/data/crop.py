"""Person crops: the affine map from an image to the model input, and its inverse.

Pixel convention: (0, 0) is the centre of the top-left pixel, as in ``cv2.warpAffine``.
"""

import cv2
import numpy as np


def crop_affine(center, person_size, margin, input_width, input_height):
    """(2, 3) affine mapping image pixels to crop pixels.

    The crop is centred on ``center`` (x, y pixels) and its shorter side spans
    ``person_size * margin`` image pixels, so the person fits whatever the input's aspect.
    """
    side = max(float(person_size) * margin, 1.0)
    zoom = min(input_width, input_height) / side  # crop pixels per image pixel
    cx, cy = float(center[0]), float(center[1])
    return np.array(
        [[zoom, 0.0, (input_width - 1) / 2 - zoom * cx],
         [0.0, zoom, (input_height - 1) / 2 - zoom * cy]],
        dtype=np.float64,
    )


def invert_affine(affine):
    """Inverse of a (2, 3) affine map."""
    return cv2.invertAffineTransform(np.asarray(affine, dtype=np.float64))


def apply_affine(points, affine):
    """Map points (..., P, 2) through affine maps (..., 2, 3), broadcast; returns float64 (..., P, 2).

    One map for all points: ``points`` (P, 2), ``affine`` (2, 3). One map per person:
    ``points`` (N, K, 2), ``affine`` (N, 2, 3).
    """
    points = np.asarray(points, dtype=np.float64)
    affine = np.asarray(affine, dtype=np.float64)
    return points @ np.swapaxes(affine[..., :2], -1, -2) + affine[..., None, :, 2]


def crop_image(image, affine, input_width, input_height):
    """Warp ``image`` (H, W, 3) uint8 into a (input_height, input_width, 3) crop; outside is black."""
    return cv2.warpAffine(
        image, affine, (input_width, input_height),
        flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0,
    )
