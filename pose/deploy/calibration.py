"""The int8 calibration set: which images set the quantised model's activation ranges."""

import dataclasses

import numpy as np

from pose.train.batches import augment_loose, photo_boxes


def calibration_images(tight, context, count, loose_share, seed, augmentation):
    """The int8 calibration set: (count, H, W, 3) uint8 training crops, ``loose_share`` of them framed loosely.

    The int8 activation ranges are set by what calibration shows the model. The person search's
    first passes see whole photos and zoomed-out canvases, where the person is small and most of
    the frame is background: framing a share of the calibration crops loosely (as training's loose
    framings: :func:`pose.train.batches.augment_loose`, side ``loose_margin_min`` ..
    ``loose_margin_max`` person sizes, no rotation, flip or colour jitter) shows the model those too.

    Args:
        tight: the training split (:func:`pose.data.samples.read_split`). context: its context crops
            (:data:`pose.data.samples.CONTEXT_SPLIT`), read only when ``loose_share`` > 0.
        count: crops in the set (at most the split's size). loose_share: 0..1.
        augmentation: :class:`pose.params.AugmentParams` (its loose margins are used).
    """
    rng = np.random.default_rng(seed)
    count = min(count, len(tight["images"]))
    chosen = np.sort(rng.choice(len(tight["images"]), count, replace=False))
    images = tight["images"][chosen].copy()
    if loose_share <= 0:
        return images
    plain = dataclasses.replace(augmentation, flip_probability=0.0, rotation_degrees=0.0, brightness=0.0,
                                contrast=0.0, saturation=0.0)
    loose_rng = np.random.default_rng((seed, 1))  # a generator of its own: the crops chosen stay as they were
    boxes = photo_boxes(context)
    height, width = images.shape[1:3]
    for position, sample in enumerate(chosen):
        if loose_rng.random() < loose_share:
            framed, _, _ = augment_loose(context["images"][sample], context["keypoints"][sample],
                                         np.asarray(tight["labeled"][sample], bool), boxes[sample], loose_rng, plain,
                                         width, height)
            images[position] = np.clip(np.round(framed), 0, 255).astype(np.uint8)
    return images
