"""Heatmap losses, each masking out unlabeled joints.

Targets ``y_true`` are (B, H, W, K) heatmaps in 0..1; a joint that is not labeled for a sample
has its whole channel set to :data:`pose.codec.heatmaps.UNLABELED` (-1), so the mask travels
inside the target and every Keras loss/metric API still sees a plain ``(y_true, y_pred)`` pair.
Each loss returns (B,): the mean over that sample's labeled joints (0 when it has none).

Keras is imported inside the functions: :data:`LOSSES` names the choices of ``train.loss`` and
``pose.params`` reads it, which must not load TensorFlow.
"""

from pose.codec.heatmaps import UNLABELED

SMOOTH = 1e-6  # keeps soft-IoU defined (and 0) when target and prediction are both empty


def joint_mask(y_true):
    """(B, K) float: 1 where the joint is labeled."""
    from keras import ops

    return ops.cast(y_true[:, 0, 0, :] > UNLABELED / 2, "float32")


def _masked_mean(per_joint, mask):
    """(B, K) values averaged over labeled joints -> (B,)."""
    from keras import ops

    return ops.sum(per_joint * mask, axis=1) / ops.maximum(ops.sum(mask, axis=1), 1.0)


def soft_iou_loss(y_true, y_pred):
    """Soft Jaccard per joint map, as in the original work: 1 - S(y*p) / (S(y^2) + S(p^2) - S(y*p))."""
    from keras import ops

    mask = joint_mask(y_true)
    y_true = ops.maximum(ops.cast(y_true, "float32"), 0.0)
    y_pred = ops.cast(y_pred, "float32")
    overlap = ops.sum(y_true * y_pred, axis=(1, 2))
    union = ops.sum(y_true * y_true, axis=(1, 2)) + ops.sum(y_pred * y_pred, axis=(1, 2)) - overlap
    return _masked_mean(1.0 - (overlap + SMOOTH) / (union + SMOOTH), mask)


def mse_loss(y_true, y_pred):
    """Mean squared error per pixel, averaged over labeled joints."""
    from keras import ops

    mask = joint_mask(y_true)
    y_true = ops.maximum(ops.cast(y_true, "float32"), 0.0)
    per_joint = ops.mean(ops.square(ops.cast(y_pred, "float32") - y_true), axis=(1, 2))
    return _masked_mean(per_joint, mask)


def make_weighted_mse_loss(foreground_weight):
    """MSE with pixels near the keypoint (target > 0.1) weighted ``foreground_weight`` times.

    A 32x32 map with sigma 1.5 has about 20 foreground pixels against 1000 background ones, so
    plain MSE is dominated by "predict zero everywhere"; up-weighting the peak counters that.
    """

    def weighted_mse_loss(y_true, y_pred):
        from keras import ops

        mask = joint_mask(y_true)
        y_true = ops.maximum(ops.cast(y_true, "float32"), 0.0)
        weights = 1.0 + (foreground_weight - 1.0) * ops.cast(y_true > 0.1, "float32")
        per_joint = ops.mean(weights * ops.square(ops.cast(y_pred, "float32") - y_true), axis=(1, 2))
        return _masked_mean(per_joint, mask)

    return weighted_mse_loss


# train.loss -> a factory taking train.foreground_weight (used by weighted_mse only)
LOSSES = {
    "iou": lambda foreground_weight: soft_iou_loss,
    "mse": lambda foreground_weight: mse_loss,
    "weighted_mse": make_weighted_mse_loss,
}


def get_loss(name, foreground_weight=10.0):
    """The loss named by ``train.loss`` (validated against :data:`LOSSES` when params are read)."""
    return LOSSES[name](foreground_weight)
