"""Person crops on non-square inputs: centre, zoom, inverse."""

import numpy as np
import pytest

from pose.data.crop import apply_affine, crop_affine, crop_image, invert_affine


def test_center_maps_to_crop_center_and_person_fits_short_side():
    affine = crop_affine(center=(50, 30), person_size=40, margin=1.5, input_width=96, input_height=64)
    np.testing.assert_allclose(apply_affine([[50, 30]], affine), [[47.5, 31.5]])
    # 40 px person * 1.5 margin = 60 px spans the 64 px short side.
    left, right = apply_affine([[20, 30], [80, 30]], affine)
    assert right[0] - left[0] == pytest.approx(64.0)


def test_inverse_maps_back():
    affine = crop_affine((123.4, 56.7), 80, 1.3, 128, 96)
    points = np.array([[100.0, 40.0], [150.5, 77.25]])
    np.testing.assert_allclose(apply_affine(apply_affine(points, affine), invert_affine(affine)), points)


def test_crop_image_puts_the_marked_pixel_where_the_affine_says():
    image = np.zeros((60, 100, 3), np.uint8)
    image[20, 70] = 255  # x = 70, y = 20
    affine = crop_affine((70, 20), 10, 1.0, input_width=30, input_height=20)  # zoom 2
    crop = crop_image(image, affine, 30, 20)
    assert crop.shape == (20, 30, 3)
    x, y = apply_affine([[70, 20]], affine)[0]
    row, column = np.unravel_index(np.argmax(crop[..., 0]), crop.shape[:2])
    assert abs(column - x) <= 0.5 and abs(row - y) <= 0.5
