"""A few training steps on generated data lower the loss; MirroredStrategy runs over CPU devices."""

import subprocess
import sys

import keras
import numpy as np
import pytest

from pose.train.input_pipeline import make_dataset
from pose.joints import NUM_JOINTS
from pose.train.losses import get_loss
from pose.train.model import build_unet
from pose.train.training import set_encoder_trainable
from tests.conftest import REPO


def synthetic_arrays(count=16, size=64, seed=0):
    """Dark images with a bright 5x5 square at each joint's keypoint: learnable in a few steps."""
    rng = np.random.default_rng(seed)
    keypoints = rng.uniform(6, size - 6, (count, NUM_JOINTS, 2)).astype(np.float32)
    images = np.zeros((count, size, size, 3), np.uint8)
    for n, k in np.ndindex(count, 2):
        x, y = keypoints[n, k].astype(int)
        images[n, y - 2:y + 3, x - 2:x + 3, k] = 255
    labeled = np.zeros((count, NUM_JOINTS), bool)
    labeled[:, :2] = True
    return {"images": images, "keypoints": keypoints, "labeled": labeled}


@pytest.mark.parametrize("loss_name", ["iou", "mse"])
def test_a_few_steps_lower_the_loss(loss_name):
    keras.utils.set_random_seed(0)
    data = make_dataset(synthetic_arrays(), 4, 1.5, "analytic", 8)
    model = build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)
    set_encoder_trainable(model, 1.0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=get_loss(loss_name))
    losses = model.fit(data, epochs=20, verbose=0).history["loss"]
    print(loss_name, losses[0], losses[-1])
    assert losses[-1] < 0.8 * losses[0]


def test_frozen_encoder_has_no_trainable_weights():
    model = build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)
    set_encoder_trainable(model, 0.0)
    assert not model.get_layer("encoder").trainable_weights and model.trainable_weights
    set_encoder_trainable(model, 0.5)
    encoder_weights = model.get_layer("encoder").trainable_weights
    assert 0 < len(encoder_weights) < len(model.get_layer("encoder").weights)


MIRRORED_SCRIPT = """
import numpy as np, tensorflow as tf, keras
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
from pose.train.model import build_unet
from pose.train.losses import get_loss
from pose.train.input_pipeline import make_dataset
from tests.test_training import synthetic_arrays
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
assert strategy.num_replicas_in_sync == 2
with strategy.scope():
    model = build_unet("mobilenet_v2", 64, 64, 16, 4, weights=None)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=get_loss("iou"))
history = model.fit(make_dataset(synthetic_arrays(), 4, 1.5, "analytic", 8), epochs=2, verbose=0)
assert all(np.isfinite(history.history["loss"]))
print("replicas", strategy.num_replicas_in_sync, "steps ok")
"""


def test_mirrored_strategy_over_two_cpu_devices():
    # Logical devices must be set before TensorFlow starts, hence a fresh interpreter.
    result = subprocess.run([sys.executable, "-c", MIRRORED_SCRIPT], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replicas 2 steps ok" in result.stdout
