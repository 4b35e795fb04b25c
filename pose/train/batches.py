"""Training and validation batches in numpy and OpenCV, as a ``keras.utils.PyDataset``: JAX and PyTorch.

The same augmentation as :mod:`pose.train.input_pipeline` (which stays TensorFlow's: fed through
Keras' PyDataset adapter, TensorFlow trained at less than half its ``tf.data`` speed on these 2
cores, see docs/training.md): one affine map moves the keypoints and warps the image (flip with
left/right joint swap, rotation, scale, optionally after a half-body and/or off-centre framing;
or a loose framing cut from the context crop), colour jitter touches the image only, and the
Gaussian targets are rendered at the moved keypoints.

Nothing here imports TensorFlow, so ``train.backend: jax`` or ``torch`` trains on a machine that
has only that framework. Worker threads or processes (``train.input_workers``) prepare batches
while the model steps. Every random draw comes from a generator seeded by (seed, epoch, sample
position in the epoch), so a batch is the same whichever worker makes it and in whatever order:
the same params give the same batches (not the same as ``tf.data``'s: the two draw differently).
"""

import math

import cv2
import keras
import numpy as np

from pose.codec.heatmaps import UNLABELED, crop_to_heatmap, render
from pose.data.crop import apply_affine, invert_affine
from pose.data.datasets.mixture import epoch_order
from pose.joints import JOINT_INDEX, NUM_JOINTS, flip_permutation


def rotation_zoom_flip(angle, zoom, flip, source_centre, target_centre):
    """Forward 2x3 map ``p' = Z R F (p - source_centre) + target_centre``.

    ``F`` mirrors x when ``flip``, ``R`` rotates by ``angle`` radians (clockwise on screen, y down),
    ``Z`` scales by ``zoom``. Points are (x, y) pixels with pixel centres at integer coordinates,
    OpenCV's convention for ``warpAffine``.
    """
    sign = -1.0 if flip else 1.0
    cos, sin = math.cos(angle) * zoom, math.sin(angle) * zoom
    linear = np.array([[cos * sign, -sin], [sin * sign, cos]])
    offset = np.asarray(target_centre, np.float64) - linear @ np.asarray(source_centre, np.float64)
    return np.concatenate([linear, offset[:, None]], axis=1)


def _warp(image, matrix, out_width, out_height):
    """``image`` (H, W, 3) through the forward 2x3 ``matrix`` into (out_height, out_width, 3), bilinear, black outside."""
    return cv2.warpAffine(image, matrix, (out_width, out_height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _move_keypoints(keypoints, labeled, matrix, flip):
    """Keypoints (K, 2) through the forward ``matrix``; a flip swaps left and right joints."""
    moved = (np.asarray(keypoints, np.float64) @ matrix[:, :2].T + matrix[:, 2]).astype(np.float32)
    labeled = np.asarray(labeled, bool)
    if flip:
        permutation = list(flip_permutation())
        return moved[permutation], labeled[permutation]
    return moved, labeled


def _jitter_colour(image, rng, augmentation):
    """Brightness, contrast and saturation jitter of (H, W, 3) pixels; float32 0..255 out.

    Saturation scales HSV's S by the drawn factor (capped at S = 1), keeping hue and value:
    ``c' = V - (V - c) * f`` per channel, with ``V`` the brightest channel.
    """
    image = image.astype(np.float32)
    brightness = rng.uniform(-1.0, 1.0) * augmentation.brightness
    contrast = 1.0 + rng.uniform(-1.0, 1.0) * augmentation.contrast
    saturation = 1.0 + rng.uniform(-1.0, 1.0) * augmentation.saturation
    if augmentation.brightness > 0:
        image += brightness
    if augmentation.contrast > 0:
        mean = np.asarray(cv2.mean(image)[:3], np.float32)  # per channel; numpy's reduce over (H, W) is 10x slower
        image = (image - mean) * contrast + mean
    image = np.clip(image, 0.0, 255.0)
    if augmentation.saturation > 0:
        red, green, blue = image[..., 0], image[..., 1], image[..., 2]
        value = np.maximum(np.maximum(red, green), blue)[..., None]
        spread = value - np.minimum(np.minimum(red, green), blue)[..., None]
        # f capped so that S * f <= 1, i.e. f <= V / (V - min); grey pixels (spread 0) stay grey.
        factor = np.minimum(saturation, value / np.maximum(spread, 1e-6))
        image = np.clip(value - (value - image) * factor, 0.0, 255.0)
    return image


OCCLUSION_AREA = (0.02, 0.2)  # occluding rectangle / frame area, uniform in this range
OCCLUSION_ASPECT = 3.0  # width / height log-uniform in [1/this, this]


def occlusion_box(rng, keypoints, labeled, width, height):
    """x0, y0, x1, y1 (pixels, inclusive bounds as floats) of a rectangle over part of the body.

    Its area is uniform in :data:`OCCLUSION_AREA` of the frame, its aspect log-uniform within
    :data:`OCCLUSION_ASPECT`, its centre uniform in the box of the labeled joints (the whole
    frame when none is labeled), so that it hides joints rather than background.
    """
    area = rng.uniform(*OCCLUSION_AREA) * width * height
    aspect = math.exp(rng.uniform(-math.log(OCCLUSION_ASPECT), math.log(OCCLUSION_ASPECT)))
    box_width, box_height = math.sqrt(area * aspect), math.sqrt(area / aspect)
    points = np.asarray(keypoints, np.float64)[np.asarray(labeled, bool)]
    low, high = (points.min(axis=0), points.max(axis=0)) if len(points) else (np.zeros(2), [width - 1, height - 1])
    centre = low + rng.uniform(0.0, 1.0, 2) * (np.asarray(high) - low)
    return (centre[0] - box_width / 2, centre[1] - box_height / 2, centre[0] + box_width / 2, centre[1] + box_height / 2)


def occlude(image, keypoints, labeled, rng):
    """``image`` (H, W, 3) float32 with a rectangle of one random colour over part of the body (:func:`occlusion_box`)."""
    height, width = image.shape[:2]
    x0, y0, x1, y1 = occlusion_box(rng, keypoints, labeled, width, height)
    colour = rng.uniform(0.0, 255.0, 3).astype(np.float32)
    columns, rows = np.arange(width), np.arange(height)
    inside = ((rows >= y0) & (rows <= y1))[:, None] & ((columns >= x0) & (columns <= x1))[None, :]
    return np.where(inside[..., None], colour, image).astype(np.float32)


# The upper half of the body (head, neck, thorax and arms); the rest is the lower half (pelvis and legs).
UPPER_BODY = tuple(JOINT_INDEX[name] for name in (
    "thorax", "upper_neck", "head_top", "r_wrist", "r_elbow", "r_shoulder", "l_shoulder", "l_elbow", "l_wrist"))
UPPER_BODY_MASK = np.isin(np.arange(NUM_JOINTS), UPPER_BODY)  # (K,) bool
HALF_BODY_MIN_JOINTS = 3  # labeled joints the chosen half needs; with fewer the sample keeps its whole-body framing
# Framing side / the half's joint box (longer side): inference.crop_margin's default, the finder's
# crop around the joints it is confident of, which is all of a half-hidden person.
HALF_BODY_MARGIN = 1.3
HALF_BODY_MAX_ZOOM = 2.5  # a tight crop magnified more than this is mostly blur


def half_body_framing(rng, keypoints, labeled, width, height):
    """Where and how much to zoom a (height, width) tight crop so that it frames half of the body.

    Draws the half (upper or lower, even odds; :data:`UPPER_BODY`); the framing is
    centred on that half's labeled joints' box, its side :data:`HALF_BODY_MARGIN` times the box's
    longer side, magnified at most :data:`HALF_BODY_MAX_ZOOM` and never shrunk.

    Args:
        keypoints: (K, 2) crop pixels. labeled: (K,) bool.
    Returns:
        (source centre (2,) crop pixels, zoom >= 1) for :func:`augment`'s ``framing``, or ``None``
        when the drawn half has fewer than :data:`HALF_BODY_MIN_JOINTS` labeled joints.
    """
    upper = rng.random() < 0.5
    chosen = np.asarray(labeled, bool) & (UPPER_BODY_MASK if upper else ~UPPER_BODY_MASK)
    if chosen.sum() < HALF_BODY_MIN_JOINTS:
        return None
    points = np.asarray(keypoints, np.float64)[chosen]
    low, high = points.min(axis=0), points.max(axis=0)
    frame = min(width, height)
    side = max(float((high - low).max()) * HALF_BODY_MARGIN, frame / HALF_BODY_MAX_ZOOM)
    return (low + high) / 2, max(frame / side, 1.0)


def shifted_framing(rng, framing, width, height, shift_range):
    """``framing`` (``None``: the crop as framed) moved so that the person lands off-centre.

    The offset is uniform in +- ``shift_range`` times the frame's shorter side per axis, in output
    pixels (divided by the framing's zoom in source pixels): a crop the person search centres on
    joints it placed imperfectly frames the person that way, a label crop never does.

    Returns:
        (source centre (2,) crop pixels, zoom) for :func:`augment`'s ``framing``.
    """
    centre, zoom = (((width - 1) / 2, (height - 1) / 2), 1.0) if framing is None else framing
    offset = rng.uniform(-1.0, 1.0, 2) * shift_range * min(width, height) / zoom
    return np.asarray(centre, np.float64) + offset, zoom


def augment(image, keypoints, labeled, rng, augmentation, framing=None):
    """Augment one tight crop.

    Args:
        image: (H, W, 3) uint8 or float32 0..255. keypoints: (K, 2) crop pixels. labeled: (K,) bool.
        rng: a ``numpy.random.Generator``; augmentation: :class:`pose.params.AugmentParams`.
        framing: ``None`` (the crop as framed), or (source centre (2,) crop pixels, zoom) from
            :func:`half_body_framing` or :func:`shifted_framing`: that point moves to the centre,
            magnified, before the rest.
    Returns:
        (image (H, W, 3) float32 0..255, keypoints (K, 2) float32, labeled (K,) bool)
    """
    height, width = image.shape[:2]
    flip = rng.random() < augmentation.flip_probability
    angle = rng.uniform(-1.0, 1.0) * augmentation.rotation_degrees * math.pi / 180
    scale = 1.0 + rng.uniform(-1.0, 1.0) * augmentation.scale_range
    centre = ((width - 1) / 2, (height - 1) / 2)
    source, zoom = (centre, 1.0) if framing is None else framing
    matrix = rotation_zoom_flip(angle, scale * zoom, flip, source, centre)
    keypoints, labeled = _move_keypoints(keypoints, labeled, matrix, flip)
    return _jitter_colour(_warp(image, matrix, width, height), rng, augmentation), keypoints, labeled


def _loose_affine(rng, keypoints, labeled, photo_box, out_width, out_height, augmentation):
    """Random forward map context crop -> loose framing (2x3), and whether it flips.

    The framing rule of :func:`pose.train.input_pipeline._loose_affine` (its docstring says why):
    side log-uniform in [loose_margin_min, loose_margin_max] person sizes, at most the photo's
    longer side; the person anywhere inside; the framing slid to stay inside the photo.

    Args:
        photo_box: (4,) x0, y0, x1, y1 of the original photo in context-crop pixels.
    """
    flip = rng.random() < augmentation.flip_probability
    angle = rng.uniform(-1.0, 1.0) * augmentation.rotation_degrees * math.pi / 180
    margin = math.exp(rng.uniform(math.log(augmentation.loose_margin_min), math.log(augmentation.loose_margin_max)))
    points = np.asarray(keypoints, np.float64)[np.asarray(labeled, bool)]
    if len(points) == 0:  # nothing labeled: frame around the crop's centre
        points = np.asarray(photo_box, np.float64).reshape(2, 2).mean(axis=0, keepdims=True)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    person = max(float((high - low).max()), 8.0)  # one labeled joint still gets a finite framing
    photo_start, photo_end = np.asarray(photo_box[:2], np.float64), np.asarray(photo_box[2:], np.float64)
    photo_extent = photo_end - photo_start
    side = max(min(margin * person, float(photo_extent.max())), person)  # context pixels
    slack = max(side - person, 0.0) / 2
    offset = rng.uniform(-1.0, 1.0, 2) * slack
    fits = photo_extent >= side  # per axis: the framing fits inside the photo
    lowest = np.where(fits, photo_start + side / 2, photo_end - side / 2)
    highest = np.where(fits, photo_end - side / 2, photo_start + side / 2)
    window_centre = np.clip(centre - offset, lowest, highest)  # the person stays inside either way
    zoom = min(out_width, out_height) / side
    matrix = rotation_zoom_flip(angle, zoom, flip, window_centre, ((out_width - 1) / 2, (out_height - 1) / 2))
    return matrix, flip


def augment_loose(context_image, keypoints, labeled, photo_box, rng, augmentation, out_width, out_height):
    """A loose framing cut from a context crop: the person small and anywhere in an (out_height, out_width) frame.

    Args:
        context_image: (C, C, 3) uint8 or float32 0..255. keypoints: (K, 2) context-crop pixels. labeled: (K,) bool.
        photo_box: (4,) x0, y0, x1, y1 of the photo in context-crop pixels.
        rng: a ``numpy.random.Generator``.
    Returns:
        (image (out_height, out_width, 3) float32 0..255, keypoints (K, 2) in its pixels, labeled (K,))
    """
    matrix, flip = _loose_affine(rng, keypoints, labeled, photo_box, out_width, out_height, augmentation)
    moved, labeled = _move_keypoints(keypoints, labeled, matrix, flip)
    image = _warp(context_image, matrix, out_width, out_height)
    return _jitter_colour(image, rng, augmentation), moved, labeled


def photo_boxes(arrays):
    """(n, 4) float32 x0, y0, x1, y1: each sample's whole photo in its crop's pixels (pixel edges, not centres)."""
    width, height = arrays["photo_size"][:, 0], arrays["photo_size"][:, 1]
    corners = np.stack([np.stack([-0.5 + 0 * width, -0.5 + 0 * height], -1),
                        np.stack([width - 0.5, height - 0.5], -1)], axis=1)  # (n, 2, 2) photo pixels
    image_to_crop = np.stack([invert_affine(affine) for affine in arrays["crop_to_image"]])
    inside = apply_affine(corners, image_to_crop)  # crops are axis-aligned: corners stay ordered
    return inside.reshape(-1, 4).astype(np.float32)


def render_targets(method, keypoints, labeled, output_stride, map_width, map_height, sigma):
    """(N, map_height, map_width, K) float32 targets; an unlabeled joint's channel is all :data:`UNLABELED`.

    Args:
        keypoints: (N, K, 2) crop pixels. labeled: (N, K) bool.
    """
    maps = render(method, crop_to_heatmap(np.asarray(keypoints, np.float32), output_stride), labeled,
                  map_width, map_height, sigma)
    return np.where(np.asarray(labeled, bool)[:, None, None, :], maps, np.float32(UNLABELED)).astype(np.float32)


class HeatmapBatches(keras.utils.PyDataset):
    """Batches of (images (B, H, W, 3) float32 0..255, targets (B, H/s, W/s, K) float32).

    Training (``augmentation`` given): each epoch is a fresh seeded permutation of the samples cut
    into ``len(self)`` full batches (the remainder waits for the next epoch's order). ``epoch`` picks
    the permutation and the draws: training sets it as each epoch begins (Keras' own
    ``on_epoch_end`` also fires after its set-up peeks, so counting those would drift). With
    ``mixing`` = (sources (N,) dataset index per sample, shares per dataset) the epoch's order is
    :func:`pose.data.datasets.mixture.epoch_order` instead: each dataset's share of the samples.
    Evaluation: the samples in order, unaugmented, the last batch possibly short.
    """

    def __init__(self, arrays, output_stride, sigma, method, batch_size, augmentation=None, seed=0, context=None,
                 workers=1, use_multiprocessing=False, mixing=None):
        super().__init__(workers=workers, use_multiprocessing=use_multiprocessing, max_queue_size=8)
        self.mixing, self._order = mixing, (None, None)  # (epoch, its order): computed once per epoch
        self.images, self.labeled = arrays["images"], np.asarray(arrays["labeled"], bool)
        self.keypoints = np.asarray(arrays["keypoints"], np.float32)
        self.height, self.width = self.images.shape[1:3]
        self.output_stride, self.sigma, self.method = output_stride, sigma, method
        self.batch_size, self.augmentation, self.seed = batch_size, augmentation, seed
        self.epoch = 0
        self.loose = augmentation is not None and context is not None and augmentation.loose_probability > 0
        if self.loose:
            if len(context["images"]) != len(self.images) or (context["image"] != arrays["image"]).any():
                raise ValueError("context crops and tight crops must hold the same persons in the same order")
            self.context_images = context["images"]
            self.context_keypoints = np.asarray(context["keypoints"], np.float32)
            self.context_boxes = photo_boxes(context)

    def __len__(self):
        count = len(self.images)
        if self.augmentation is not None:
            return max(count // self.batch_size, 1)
        return math.ceil(count / self.batch_size)

    def sample_indices(self, index):
        """Which samples make batch ``index`` of the current epoch, shape (B,)."""
        positions = np.arange(index * self.batch_size, min((index + 1) * self.batch_size, len(self.images)))
        if self.augmentation is None:
            return positions
        return self._epoch_order()[positions % len(self.images)]

    def _epoch_order(self):
        if self._order[0] != self.epoch:
            if self.mixing is None:
                order = np.random.default_rng((self.seed, self.epoch)).permutation(len(self.images))
            else:
                order = epoch_order(*self.mixing, self.seed, self.epoch)
            self._order = (self.epoch, order)
        return self._order[1]

    def _prepare(self, sample, position):
        """One augmented sample: (image (H, W, 3) float32, keypoints (K, 2), labeled (K,))."""
        settings = self.augmentation
        rng = np.random.default_rng((self.seed, self.epoch, position))
        if self.loose and rng.random() < settings.loose_probability:
            image, keypoints, labeled = augment_loose(
                self.context_images[sample], self.context_keypoints[sample], self.labeled[sample],
                self.context_boxes[sample], rng, settings, self.width, self.height)
        else:
            framing = None
            if settings.half_body_probability > 0:  # a generator of its own: the other draws stay as they were
                half_rng = np.random.default_rng((self.seed, self.epoch, position, 1))
                if half_rng.random() < settings.half_body_probability:
                    framing = half_body_framing(half_rng, self.keypoints[sample], self.labeled[sample],
                                                self.width, self.height)
            if settings.shift_range > 0:  # a generator of its own too
                shift_rng = np.random.default_rng((self.seed, self.epoch, position, 2))
                framing = shifted_framing(shift_rng, framing, self.width, self.height, settings.shift_range)
            image, keypoints, labeled = augment(self.images[sample], self.keypoints[sample], self.labeled[sample],
                                                rng, settings, framing)
        # Drawn last, and only when on, so that switching it on leaves every other draw as it was.
        if settings.occlusion_probability > 0 and rng.random() < settings.occlusion_probability:
            image = occlude(image, keypoints, labeled, rng)
        return image, keypoints, labeled

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(f"batch {index} of {len(self)}")
        samples = self.sample_indices(index)
        if self.augmentation is None:
            images = self.images[samples].astype(np.float32)
            keypoints, labeled = self.keypoints[samples], self.labeled[samples]
        else:
            prepared = [self._prepare(sample, index * self.batch_size + offset) for offset, sample in enumerate(samples)]
            images, keypoints, labeled = (np.stack(column) for column in zip(*prepared))
        targets = render_targets(self.method, keypoints, labeled, self.output_stride,
                                 self.width // self.output_stride, self.height // self.output_stride, self.sigma)
        return images, targets


def make_batches(arrays, output_stride, sigma, method, batch_size, augmentation=None, seed=0, context=None,
                 workers=1, use_multiprocessing=False, mixing=None):
    """:class:`HeatmapBatches` over a split (see there).

    Args:
        arrays: a split from :func:`pose.data.samples.read_split`.
        augmentation: :class:`pose.params.AugmentParams`, or ``None`` for evaluation (no shuffle either).
        context: the same persons' context crops (:data:`pose.data.samples.CONTEXT_SPLIT`); with
            ``augmentation.loose_probability`` > 0 that share of samples is framed loosely from them.
        workers, use_multiprocessing: Keras' PyDataset workers (threads, or processes when True).
        mixing: several datasets: (sources, shares) as :func:`pose.data.datasets.mixture.epoch_order` takes them.
    """
    return HeatmapBatches(arrays, output_stride, sigma, method, batch_size, augmentation, seed, context,
                          workers, use_multiprocessing, mixing)
