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
from pose.train.training import learning_rate_schedule, set_encoder_trainable
from tests.conftest import without_packages
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


@pytest.mark.parametrize("warmup_steps", [0, 25])
def test_learning_rate_ramps_up_then_decays_to_five_percent(warmup_steps):
    schedule = learning_rate_schedule(1e-3, 100, warmup_steps)
    rates = np.array([float(schedule(step)) for step in range(101)])
    peak = warmup_steps
    np.testing.assert_allclose(rates[peak], 1e-3, rtol=1e-6)
    np.testing.assert_allclose(rates[100], 5e-5, rtol=1e-5)  # the phase's last step: 5 % of the rate
    assert (np.diff(rates[peak:]) < 0).all()  # the cosine only falls after its peak
    if warmup_steps:
        assert rates[0] == 0.0 and (np.diff(rates[:peak + 1]) > 0).all()
        np.testing.assert_allclose(np.diff(rates[:peak + 1]), 1e-3 / warmup_steps, rtol=1e-4)  # a straight ramp


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


# Trains on another backend on what looks like a machine without TensorFlow.
BACKEND_SCRIPT = without_packages("tensorflow") + """
import os, sys
os.environ["KERAS_BACKEND"] = sys.argv[1]
import keras
import numpy as np
from pose.params import params_from_dict
from pose.train.training import train


def synthetic_arrays(count, seed=0):  # as tests.test_training's, which imports TensorFlow
    rng = np.random.default_rng(seed)
    keypoints = rng.uniform(6, 58, (count, 16, 2)).astype(np.float32)
    images = np.zeros((count, 64, 64, 3), np.uint8)
    for n, k in np.ndindex(count, 2):
        x, y = keypoints[n, k].astype(int)
        images[n, y - 2:y + 3, x - 2:x + 3, k] = 255
    labeled = np.zeros((count, 16), bool)
    labeled[:, :2] = True
    return {"images": images, "keypoints": keypoints, "labeled": labeled}


assert keras.backend.backend() == sys.argv[1]
params = params_from_dict({"train": {"backend": sys.argv[1], "weights": "none", "epochs": 3, "frozen_epochs": 0,
                                     "batch_size": 8, "learning_rate": 3e-3, "input_workers": 2,
                                     "augment": {"loose_probability": 0.0}},
                           "geometry": {"input_width": 64, "input_height": 64}})
history = train(params, synthetic_arrays(count=40), synthetic_arrays(count=8, seed=1), sys.argv[2])
assert all(np.isfinite(history["loss"])), history
distribution = keras.distribution.distribution()
devices = len(distribution.device_mesh.devices.flatten()) if distribution else 1
assert "tensorflow" not in sys.modules
print("trained", keras.backend.backend(), len(history["loss"]), "epochs on", devices, "devices")
"""


@pytest.mark.parametrize("backend, devices", [("jax", 1), ("jax", 2), ("torch", 1)])
def test_training_runs_on_another_backend_and_tensorflow_loads_the_model(backend, devices, tmp_path):
    """train.backend: jax or torch trains where TensorFlow cannot be imported (JAX on one device or data-parallel
    over two host devices standing in for GPUs); the saved model serves TensorFlow's export. Torch is skipped
    where it is not installed (`make setup TORCH=1`, which CI runs)."""
    pytest.importorskip(backend)
    model_path = tmp_path / "model.keras"
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2",
           "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}"}
    result = subprocess.run([sys.executable, "-c", BACKEND_SCRIPT, backend, str(model_path)], cwd=REPO,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"trained {backend} 3 epochs on {devices} devices" in result.stdout
    model = keras.saving.load_model(model_path, compile=False)  # this process runs TensorFlow
    heatmaps = model.predict(synthetic_arrays(count=2)["images"].astype(np.float32), verbose=0)
    assert heatmaps.shape == (2, 16, 16, NUM_JOINTS) and np.isfinite(heatmaps).all()


def test_training_calls_every_batch_of_every_epoch_once_per_epoch():
    """Each fit epoch draws its own seeded order: the batches see epochs 0..E-1, each batch index once."""
    from pose.params import AugmentParams
    from pose.train.batches import HeatmapBatches
    from pose.train.training import BatchEpoch

    seen = []

    class Spy(HeatmapBatches):
        def __getitem__(self, index):
            seen.append((self.epoch, index))
            return super().__getitem__(index)

    data = Spy(synthetic_arrays(), 4, 1.5, "analytic", 8, augmentation=AugmentParams())
    model = build_unet("mobilenet_v2", 64, 64, NUM_JOINTS, 4, weights=None)
    model.compile(optimizer="adam", loss=get_loss("iou"))
    model.fit(data, epochs=2, verbose=0, shuffle=False, callbacks=[BatchEpoch(data)])
    model.fit(data, epochs=3, initial_epoch=2, verbose=0, shuffle=False, callbacks=[BatchEpoch(data)])
    assert sorted(set(seen)) == [(epoch, index) for epoch in range(3) for index in range(2)]
