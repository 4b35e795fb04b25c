"""``tf.data`` pipelines: augmentation applied identically to image and keypoints, then targets.

Augmentation moves the keypoints with the same affine map that warps the image (flip with
left/right joint swap, rotation, scale, optionally after a half-body and/or off-centre framing;
or a loose framing cut from the context crop), then the Gaussian targets are rendered at the
moved keypoints, so targets stay exact at sub-pixel positions. Colour jitter touches the image only.
Randomness is stateless and seeded from ``seed``: the same params give the same batches.
"""

import math

import numpy as np
import tensorflow as tf

from pose.codec.heatmaps import crop_to_heatmap, render_tf
from pose.joints import flip_permutation
from pose.train.batches import (  # numpy's, shared with JAX/PyTorch
    HALF_BODY_MARGIN, HALF_BODY_MAX_ZOOM, HALF_BODY_MIN_JOINTS, OCCLUSION_ASPECT, OCCLUSION_AREA, UPPER_BODY_MASK,
    photo_boxes)


def _augmentation_affine(seed, width, height, augmentation, framing=None):
    """Random forward map crop -> augmented crop as a 3x3 matrix, and whether it flips.

    ``framing``: ``None``, or (source centre (2,), zoom) moved to the centre and magnified first
    (:func:`half_body_framing`, :func:`shifted_framing`).
    """
    seeds = tf.random.experimental.stateless_split(seed, 3)
    flip = tf.random.stateless_uniform((), seeds[0]) < augmentation.flip_probability
    angle = tf.random.stateless_uniform((), seeds[1], -1.0, 1.0) * augmentation.rotation_degrees * math.pi / 180
    scale = 1.0 + tf.random.stateless_uniform((), seeds[2], -1.0, 1.0) * augmentation.scale_range
    cx, cy = (width - 1) / 2, (height - 1) / 2
    (wx, wy), zoom = ((cx, cy), 1.0) if framing is None else ((framing[0][0], framing[0][1]), framing[1])
    sign = tf.where(flip, -1.0, 1.0)
    cos, sin = tf.cos(angle) * (scale * zoom), tf.sin(angle) * (scale * zoom)
    # p' = R S Z (F (p - w)) + c, with F = diag(sign, 1) mirroring about w (the centre c unless framed).
    matrix = tf.stack([
        [cos * sign, -sin, cx - cos * sign * wx + sin * wy],
        [sin * sign, cos, cy - sin * sign * wx - cos * wy],
        [0.0, 0.0, 1.0],
    ])
    return matrix, flip


def half_body_framing(seed, keypoints, labeled, width, height, probability):
    """The rule of :func:`pose.train.batches.half_body_framing`, drawn with ``probability``.

    Returns:
        (source centre (2,) crop pixels, zoom) tensors; the crop's centre and 1 when not drawn or
        when the drawn half has too few labeled joints.
    """
    seeds = tf.random.experimental.stateless_split(seed, 2)
    drawn = tf.random.stateless_uniform((), seeds[0]) < probability
    upper = tf.random.stateless_uniform((), seeds[1]) < 0.5
    mask = tf.constant(UPPER_BODY_MASK)
    chosen = tf.logical_and(labeled, tf.where(upper, mask, tf.logical_not(mask)))
    use = tf.logical_and(drawn, tf.reduce_sum(tf.cast(chosen, tf.int32)) >= HALF_BODY_MIN_JOINTS)
    far = 1e6
    low = tf.reduce_min(tf.where(chosen[:, None], keypoints, far), axis=0)
    high = tf.reduce_max(tf.where(chosen[:, None], keypoints, -far), axis=0)
    frame = float(min(width, height))
    side = tf.maximum(tf.reduce_max(high - low) * HALF_BODY_MARGIN, frame / HALF_BODY_MAX_ZOOM)
    centre = tf.where(use, (low + high) / 2, tf.constant([(width - 1) / 2, (height - 1) / 2], tf.float32))
    return centre, tf.where(use, tf.maximum(frame / side, 1.0), 1.0)


def shifted_framing(seed, framing, width, height, shift_range):
    """The rule of :func:`pose.train.batches.shifted_framing`: ``framing`` (``None``: the crop as
    framed) moved by up to ``shift_range`` of the frame's shorter side per axis; (source centre (2,), zoom)."""
    if framing is None:
        framing = (tf.constant([(width - 1) / 2, (height - 1) / 2], tf.float32), tf.constant(1.0))
    centre, zoom = framing
    offset = tf.random.stateless_uniform((2,), seed, -1.0, 1.0) * (shift_range * min(width, height))
    return centre + offset / zoom, zoom


def _warp(image, matrix, out_width, out_height):
    """Warp ``image`` (H, W, 3) float32 by the forward 3x3 ``matrix`` into (out_height, out_width, 3); outside is black."""
    transform = tf.reshape(tf.linalg.inv(matrix), (-1,))[:8][None, :]  # output pixel -> input pixel
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=image[None], transforms=transform, output_shape=tf.constant([out_height, out_width]),
        fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT",
    )[0]


def _move_keypoints(keypoints, labeled, matrix, flip):
    """Keypoints (K, 2) through the forward ``matrix``; a flip swaps left and right joints."""
    keypoints = tf.matmul(keypoints, matrix[:2, :2], transpose_b=True) + matrix[:2, 2]
    permutation = tf.constant(flip_permutation())
    keypoints = tf.where(flip, tf.gather(keypoints, permutation), keypoints)
    labeled = tf.where(flip, tf.gather(labeled, permutation), labeled)
    return keypoints, labeled


def _jitter_colour(image, seed, augmentation):
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
    return tf.clip_by_value(image, 0.0, 255.0)


def augment(image, keypoints, labeled, seed, augmentation, framing=None):
    """Augment one tight crop. image (H, W, 3) float32 0..255; keypoints (K, 2) crop pixels; labeled (K,).

    ``framing``: ``None``, or (source centre, zoom) from :func:`half_body_framing`.
    """
    height, width = image.shape[0], image.shape[1]
    matrix, flip = _augmentation_affine(seed, width, height, augmentation, framing)
    keypoints, labeled = _move_keypoints(keypoints, labeled, matrix, flip)
    return _jitter_colour(_warp(image, matrix, width, height), seed, augmentation), keypoints, labeled


def _loose_affine(seed, keypoints, labeled, photo_box, out_width, out_height, augmentation):
    """Random forward map context crop -> loose framing (3x3), and whether it flips.

    The framing's side is ``m`` times the person's size (the longer side of the box around the
    labeled joints), ``m`` log-uniform in [loose_margin_min, loose_margin_max], but never more than
    the photo's longer side: a whole photo letterboxed into the model is the loosest framing a user
    gives it. The person lies anywhere inside the framing, which then slides to stay inside the
    photo (or, along a side shorter than the framing, to hold the whole photo, the rest black as
    in a letterbox). Rotation and flip as for tight crops.

    Args:
        photo_box: (4,) x0, y0, x1, y1 of the original photo in context-crop pixels.
    """
    seeds = tf.random.experimental.stateless_split(seed, 5)
    flip = tf.random.stateless_uniform((), seeds[0]) < augmentation.flip_probability
    angle = tf.random.stateless_uniform((), seeds[1], -1.0, 1.0) * augmentation.rotation_degrees * math.pi / 180
    margin = tf.exp(tf.random.stateless_uniform(
        (), seeds[2], math.log(augmentation.loose_margin_min), math.log(augmentation.loose_margin_max)))
    far = 1e6
    low = tf.reduce_min(tf.where(labeled[:, None], keypoints, far), axis=0)
    high = tf.reduce_max(tf.where(labeled[:, None], keypoints, -far), axis=0)
    centre = (low + high) / 2
    person = tf.maximum(tf.reduce_max(high - low), 8.0)  # one labeled joint still gets a finite framing
    photo_start, photo_end = photo_box[:2], photo_box[2:]
    photo_extent = photo_end - photo_start
    side = tf.maximum(tf.minimum(margin * person, tf.reduce_max(photo_extent)), person)  # context pixels
    slack = tf.maximum(side - person, 0.0) / 2
    offset = tf.random.stateless_uniform((2,), seeds[3], -1.0, 1.0) * slack
    fits = photo_extent >= side  # per axis: the framing fits inside the photo
    low = tf.where(fits, photo_start + side / 2, photo_end - side / 2)
    high = tf.where(fits, photo_end - side / 2, photo_start + side / 2)
    window_centre = tf.clip_by_value(centre - offset, low, high)  # the person stays inside either way
    zoom = min(out_width, out_height) / side
    sign = tf.where(flip, -1.0, 1.0)
    cos, sin = tf.cos(angle) * zoom, tf.sin(angle) * zoom
    ox, oy = (out_width - 1) / 2, (out_height - 1) / 2
    wx, wy = window_centre[0], window_centre[1]
    # p' = Z R F (p - w) + o, with F = diag(sign, 1) mirroring about the window centre.
    matrix = tf.stack([
        [cos * sign, -sin, ox - cos * sign * wx + sin * wy],
        [sin * sign, cos, oy - sin * sign * wx - cos * wy],
        [0.0, 0.0, 1.0],
    ])
    return matrix, flip


def augment_loose(context_image, keypoints, labeled, photo_box, seed, augmentation, out_width, out_height):
    """A loose framing cut from a context crop: the person small and anywhere in an (out_height, out_width) frame.

    Args:
        context_image: (C, C, 3) float32 0..255. keypoints: (K, 2) context-crop pixels. labeled: (K,) bool.
        photo_box: (4,) x0, y0, x1, y1 of the photo in context-crop pixels.
    Returns:
        (image (out_height, out_width, 3), keypoints (K, 2) in its pixels, labeled (K,))
    """
    loose_seed = tf.random.experimental.stateless_split(seed, 6)[5]
    matrix, flip = _loose_affine(loose_seed, keypoints, labeled, photo_box, out_width, out_height, augmentation)
    moved, labeled = _move_keypoints(keypoints, labeled, matrix, flip)
    image = _warp(context_image, matrix, out_width, out_height)
    return _jitter_colour(image, seed, augmentation), moved, labeled


def occlude(image, keypoints, labeled, seed):
    """A rectangle of one random colour over part of the body: the rule of :func:`pose.train.batches.occlusion_box`.

    image (H, W, 3) float32; keypoints (K, 2) its pixels; labeled (K,) bool.
    """
    seeds = tf.random.experimental.stateless_split(seed, 4)
    height, width = image.shape[0], image.shape[1]
    area = tf.random.stateless_uniform((), seeds[0], *OCCLUSION_AREA) * width * height
    aspect = tf.exp(tf.random.stateless_uniform((), seeds[1], -math.log(OCCLUSION_ASPECT), math.log(OCCLUSION_ASPECT)))
    half = tf.stack([tf.sqrt(area * aspect), tf.sqrt(area / aspect)]) / 2
    far = 1e6
    any_labeled = tf.reduce_any(labeled)
    low = tf.where(any_labeled, tf.reduce_min(tf.where(labeled[:, None], keypoints, far), axis=0), [0.0, 0.0])
    high = tf.where(any_labeled, tf.reduce_max(tf.where(labeled[:, None], keypoints, -far), axis=0),
                    [width - 1.0, height - 1.0])
    centre = low + tf.random.stateless_uniform((2,), seeds[2]) * (high - low)
    colour = tf.random.stateless_uniform((3,), seeds[3], 0.0, 255.0)
    columns, rows = tf.range(width, dtype=tf.float32), tf.range(height, dtype=tf.float32)
    inside_x = tf.abs(columns - centre[0]) <= half[0]
    inside_y = tf.abs(rows - centre[1]) <= half[1]
    inside = tf.logical_and(inside_y[:, None], inside_x[None, :])
    return tf.where(inside[..., None], colour, image)


def make_dataset(arrays, output_stride, sigma, method, batch_size, augmentation=None, seed=0, repeat=False,
                 context=None, order=None):
    """Batches of (images (B, H, W, 3) float32 0..255, targets (B, H/s, W/s, K) float32).

    Args:
        arrays: a split from :func:`pose.data.samples.read_split`.
        augmentation: :class:`pose.params.AugmentParams`, or ``None`` for evaluation (no shuffle either).
        repeat: repeat forever (training with ``steps_per_epoch``), so seeds keep moving on.
        context: the same persons' context crops (:data:`pose.data.samples.CONTEXT_SPLIT`); with
            ``augmentation.loose_probability`` > 0 that share of samples is framed loosely from them.
        order: several datasets: the sample indices to visit, (M,) int, in place of the shuffle
            (the epochs of :func:`pose.data.datasets.mixture.epoch_order` one after another).
    """
    height, width = arrays["images"].shape[1:3]
    map_width, map_height = width // output_stride, height // output_stride
    loose = augmentation is not None and context is not None and augmentation.loose_probability > 0
    columns = (arrays["images"], arrays["keypoints"].astype(np.float32), arrays["labeled"])
    if loose:
        if len(context["images"]) != len(arrays["images"]) or (context["image"] != arrays["image"]).any():
            raise ValueError("context crops and tight crops must hold the same persons in the same order")
        columns += (context["images"], context["keypoints"].astype(np.float32), photo_boxes(context))
    if order is not None:
        tensors = tuple(tf.constant(column) for column in columns)
        dataset = tf.data.Dataset.from_tensor_slices(np.asarray(order, np.int64)).map(
            lambda index: tuple(tf.gather(tensor, index) for tensor in tensors))
    else:
        dataset = tf.data.Dataset.from_tensor_slices(columns)
    if augmentation is not None and order is None:
        dataset = dataset.shuffle(len(arrays["images"]), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        dataset = dataset.repeat()
    seeds = tf.data.Dataset.random(seed=seed).batch(2)

    def tight(image, keypoints, labeled, sample_seed):
        framing = None
        if augmentation.half_body_probability > 0:  # a seed of its own: the other draws stay as they were
            half_seed = tf.random.experimental.stateless_split(sample_seed, 10)[9]
            framing = half_body_framing(half_seed, keypoints, labeled, width, height,
                                        augmentation.half_body_probability)
        if augmentation.shift_range > 0:  # a seed of its own too
            shift_seed = tf.random.experimental.stateless_split(sample_seed, 12)[11]
            framing = shifted_framing(shift_seed, framing, width, height, augmentation.shift_range)
        return augment(image, keypoints, labeled, sample_seed, augmentation, framing)

    def prepare(sample, sample_seed):
        image, keypoints, labeled = sample[:3]
        image = tf.cast(image, tf.float32)
        if loose:
            context_image, context_keypoints, photo_box = sample[3:]
            choice_seed = tf.random.experimental.stateless_split(sample_seed, 6)[4]
            image, keypoints, labeled = tf.cond(
                tf.random.stateless_uniform((), choice_seed) < augmentation.loose_probability,
                lambda: augment_loose(tf.cast(context_image, tf.float32), context_keypoints, labeled, photo_box,
                                      sample_seed, augmentation, width, height),
                lambda: tight(image, keypoints, labeled, sample_seed))
        elif augmentation is not None:
            image, keypoints, labeled = tight(image, keypoints, labeled, sample_seed)
        if augmentation is not None and augmentation.occlusion_probability > 0:  # a seed of its own: others unchanged
            occlusion_seeds = tf.random.experimental.stateless_split(
                tf.random.experimental.stateless_split(sample_seed, 8)[7], 2)
            image = tf.cond(tf.random.stateless_uniform((), occlusion_seeds[0]) < augmentation.occlusion_probability,
                            lambda: occlude(image, keypoints, labeled, occlusion_seeds[1]), lambda: image)
        targets = render_tf(method, crop_to_heatmap(keypoints, output_stride), labeled, map_width, map_height, sigma)
        return image, targets

    dataset = tf.data.Dataset.zip((dataset, seeds)).map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.batch(batch_size, drop_remainder=augmentation is not None).prefetch(tf.data.AUTOTUNE)
