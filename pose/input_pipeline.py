"""``tf.data`` pipelines: augmentation applied identically to image and keypoints, then targets.

Augmentation moves the keypoints with the same affine map that warps the image (flip with
left/right joint swap, rotation, scale), then the Gaussian targets are rendered at the moved
keypoints, so targets stay exact at sub-pixel positions. Colour jitter touches the image only.
Randomness is stateless and seeded from ``seed``: the same params give the same batches.
"""

import math

import numpy as np
import tensorflow as tf

from pose.heatmaps import render_blur
from pose.joints import flip_permutation
from pose.losses import UNLABELED


def render_analytic_tf(keypoints, labeled, width, height, sigma):
    """TF twin of :func:`pose.heatmaps.render_analytic` for one sample.

    Args:
        keypoints: (K, 2) heatmap pixels. labeled: (K,) bool.
    Returns:
        (height, width, K) float32; unlabeled channels are all :data:`UNLABELED`.
    """
    xs = tf.range(width, dtype=tf.float32)
    ys = tf.range(height, dtype=tf.float32)
    gx = tf.exp(-tf.square(xs[None, :] - keypoints[:, 0:1]) / (2 * sigma**2))  # (K, W)
    gy = tf.exp(-tf.square(ys[None, :] - keypoints[:, 1:2]) / (2 * sigma**2))  # (K, H)
    maps = tf.transpose(gy[:, :, None] * gx[:, None, :], (1, 2, 0))  # (H, W, K)
    return tf.where(labeled[None, None, :], maps, UNLABELED)


def _render_blur_tf(keypoints, labeled, width, height, sigma):
    def render(points, flags):
        maps = render_blur(points[None], flags[None], width, height, sigma)[0]
        return np.where(flags[None, None, :], maps, UNLABELED).astype(np.float32)

    maps = tf.numpy_function(render, [keypoints, labeled], tf.float32)
    return tf.ensure_shape(maps, (height, width, keypoints.shape[0]))


def _augmentation_affine(seed, width, height, augmentation):
    """Random forward map crop -> augmented crop as a 3x3 matrix, and whether it flips."""
    seeds = tf.random.experimental.stateless_split(seed, 3)
    flip = tf.random.stateless_uniform((), seeds[0]) < augmentation.flip_probability
    angle = tf.random.stateless_uniform((), seeds[1], -1.0, 1.0) * augmentation.rotation_degrees * math.pi / 180
    scale = 1.0 + tf.random.stateless_uniform((), seeds[2], -1.0, 1.0) * augmentation.scale_range
    cx, cy = (width - 1) / 2, (height - 1) / 2
    sign = tf.where(flip, -1.0, 1.0)
    cos, sin = tf.cos(angle) * scale, tf.sin(angle) * scale
    # p' = R S (F (p - c)) + c, with F = diag(sign, 1) mirroring about the centre.
    matrix = tf.stack([
        [cos * sign, -sin, cx - cos * sign * cx + sin * cy],
        [sin * sign, cos, cy - sin * sign * cx - cos * cy],
        [0.0, 0.0, 1.0],
    ])
    return matrix, flip


def augment(image, keypoints, labeled, seed, augmentation):
    """Augment one sample. image (H, W, 3) float32 0..255; keypoints (K, 2) crop pixels; labeled (K,)."""
    height, width = image.shape[0], image.shape[1]
    matrix, flip = _augmentation_affine(seed, width, height, augmentation)
    inverse = tf.linalg.inv(matrix)
    transform = tf.reshape(inverse, (-1,))[:8][None, :]  # output pixel -> input pixel
    image = tf.raw_ops.ImageProjectiveTransformV3(
        images=image[None], transforms=transform, output_shape=tf.constant([height, width]),
        fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT",
    )[0]
    keypoints = tf.matmul(keypoints, matrix[:2, :2], transpose_b=True) + matrix[:2, 2]
    permutation = tf.constant(flip_permutation())
    keypoints = tf.where(flip, tf.gather(keypoints, permutation), keypoints)
    labeled = tf.where(flip, tf.gather(labeled, permutation), labeled)

    colour_seeds = tf.random.experimental.stateless_split(seed, 4)[1:]
    # A setting of 0 switches that jitter off (TF's random contrast/saturation reject an empty range).
    if augmentation.brightness > 0:
        image = tf.image.stateless_random_brightness(image, augmentation.brightness, colour_seeds[0])
    if augmentation.contrast > 0:
        image = tf.image.stateless_random_contrast(
            image, 1 - augmentation.contrast, 1 + augmentation.contrast, colour_seeds[1])
    if augmentation.saturation > 0:
        image = tf.image.stateless_random_saturation(
            image, 1 - augmentation.saturation, 1 + augmentation.saturation, colour_seeds[2])
    return tf.clip_by_value(image, 0.0, 255.0), keypoints, labeled


def make_dataset(arrays, output_stride, sigma, method, batch_size, augmentation=None, seed=0, repeat=False):
    """Batches of (images (B, H, W, 3) float32 0..255, targets (B, H/s, W/s, K) float32).

    Args:
        arrays: a split from :func:`pose.samples.read_split`.
        augmentation: :class:`pose.params.AugmentParams`, or ``None`` for evaluation (no shuffle either).
        repeat: repeat forever (training with ``steps_per_epoch``), so seeds keep moving on.
    """
    height, width = arrays["images"].shape[1:3]
    map_width, map_height = width // output_stride, height // output_stride
    render = render_analytic_tf if method == "analytic" else _render_blur_tf
    dataset = tf.data.Dataset.from_tensor_slices(
        (arrays["images"], arrays["keypoints"].astype(np.float32), arrays["labeled"]))
    if augmentation is not None:
        dataset = dataset.shuffle(len(arrays["images"]), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    seeds = tf.data.Dataset.random(seed=seed).batch(2)

    def prepare(sample, sample_seed):
        image, keypoints, labeled = sample
        image = tf.cast(image, tf.float32)
        if augmentation is not None:
            image, keypoints, labeled = augment(image, keypoints, labeled, sample_seed, augmentation)
        heatmap_points = (keypoints + 0.5) / output_stride - 0.5  # pose.heatmaps.crop_to_heatmap
        return image, render(heatmap_points, labeled, map_width, map_height, sigma)

    dataset = tf.data.Dataset.zip((dataset, seeds)).map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.batch(batch_size, drop_remainder=augmentation is not None).prefetch(tf.data.AUTOTUNE)
