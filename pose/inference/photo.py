"""Whole photos and video frames into the model and keypoints back into frame pixels.

The one home of the whole-frame geometry: letterboxing a frame into a fixed model input and
mapping points back. Pixel centres sit at integer coordinates, as everywhere in the project.
"""

import cv2
import numpy as np


def letterbox(frame_rgb, width, height):
    """Fit a frame into (height, width): (input uint8, zoom: input pixels per frame pixel)."""
    zoom = min(width / frame_rgb.shape[1], height / frame_rgb.shape[0])
    resized = cv2.resize(frame_rgb, (max(1, round(frame_rgb.shape[1] * zoom)), max(1, round(frame_rgb.shape[0] * zoom))),
                         interpolation=cv2.INTER_AREA)
    canvas = np.zeros((height, width, 3), np.uint8)
    canvas[:resized.shape[0], :resized.shape[1]] = resized
    return canvas, zoom


def unzoom(points, zoom):
    """Points in a resized image's pixels -> the original image's pixels, for a resize by ``zoom``.

    With pixel centres at integer coordinates (the project's convention, and cv2.resize's), pixel
    edges scale, not centres: ``x_original = (x + 0.5) / zoom - 0.5``. Plain ``x / zoom`` is off
    by ``0.5 * (1 / zoom - 1)`` pixels, about 2 px when a 640 px frame goes into 128.
    """
    return (np.asarray(points) + 0.5) / zoom - 0.5
