"""U-Net with an ImageNet-pretrained ``keras.applications`` encoder, one heatmap per joint.

The model takes plain RGB pixels (float, 0..255) shaped (H, W, 3); the backbone's own input
normalisation is a layer inside it, so exported models need no preprocessing outside.
Output: (H / output_stride, W / output_stride, K) sigmoid heatmaps.
"""

import os
from pathlib import Path

import keras

from pose.errors import PoseError
from pose.train.backbones import BACKBONES, ENCODER_STRIDES


DECODER_FILTERS = {16: 128, 8: 96, 4: 64, 2: 48}  # light decoder: channels at each output stride
IMAGENET_BGR_MEANS = (103.939, 116.779, 123.68)


def keras_home():
    """The folder Keras caches downloads in: $KERAS_HOME as Keras read it at import, else ~/.keras."""
    try:
        from keras.src.backend import config  # Keras fixes this path when it is imported

        return Path(config.keras_home())
    except ImportError:  # a Keras without that private module: fall back to its documented rule
        return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))


def imagenet_weights_path(backbone_name):
    """Where Keras caches (and first looks for) the backbone's ImageNet file."""
    return keras_home() / "models" / BACKBONES[backbone_name].weights_file


@keras.saving.register_keras_serializable(package="pose")
class CaffeNormalization(keras.layers.Layer):
    """RGB 0..255 -> BGR minus the ImageNet channel means, as Keras' ResNet50 expects."""

    def call(self, inputs):
        return inputs[..., ::-1] - keras.ops.convert_to_tensor(IMAGENET_BGR_MEANS, dtype=inputs.dtype)


def _preprocessing(kind, inputs):
    if kind == "tf":
        return keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="normalise")(inputs)
    if kind == "caffe":
        return CaffeNormalization(name="normalise")(inputs)
    return inputs  # "inside": the Keras model normalises its own input


def build_encoder(backbone_name, weights, bn_momentum, alpha=1.0):
    """Multi-output encoder: features at strides 2..32, built for any input size.

    ``input_shape=(None, None, 3)`` makes Keras load its 224x224 no-top ImageNet file, which
    fits every input size (the convolution weights do not depend on it). ``alpha``: MobileNetV2's
    width multiplier (channels of every layer); only 1.0 has ImageNet weights offline here, so other
    widths serve speed measurements with ``weights="none"`` (benchmarks/train_levers.py).
    """
    spec = BACKBONES[backbone_name]
    constructor = getattr(keras.applications, spec.constructor)
    width = {}
    if alpha != 1.0:
        if backbone_name != "mobilenet_v2":
            raise PoseError(f"an encoder width (alpha = {alpha}) other than 1.0 exists for mobilenet_v2 only, "
                            f"not {backbone_name}.")
        width = {"alpha": alpha}
    try:
        base = constructor(input_shape=(None, None, 3), include_top=False,
                           weights=weights if weights == "imagenet" else None, **width)
    except Exception as error:  # Keras wraps a failed weights download in a bare Exception
        path = imagenet_weights_path(backbone_name)
        if weights != "imagenet" or path.is_file():
            raise
        raise PoseError(
            f"ImageNet weights for train.backbone = {backbone_name} are not cached at {path} and could not be "
            f"downloaded ({error}); put {path.name} there (or point KERAS_HOME at a folder whose models/ "
            "holds it), or set train.weights: none."
        ) from None
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            # Keras' ImageNet models use momentum 0.99-0.999: too slow for short fine-tuning runs,
            # where validation loss then stayed flat; 0.9 follows the new data within an epoch.
            layer.momentum = bn_momentum
    outputs = [base.get_layer(name).output for name in spec.feature_layers]
    return keras.Model(base.input, outputs, name="encoder")


def _conv_block(x, filters, name):
    x = keras.layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def build_unet(backbone_name, input_width, input_height, num_joints, output_stride, weights="imagenet",
               bn_momentum=0.9, decoder_width=1.0, alpha=1.0):
    """The full model: (B, H, W, 3) RGB 0..255 -> (B, H/stride, W/stride, K) heatmaps in 0..1.

    Skip connections join every encoder level between stride 16 and ``output_stride``
    (three levels at stride 4). ``decoder_width`` scales ``DECODER_FILTERS`` (``train.decoder_width``);
    ``alpha`` is the encoder's width (:func:`build_encoder`), 1.0 in the trained models (only its
    ImageNet weights are offline), other values are measured for speed (docs/training.md, throughput levers).
    """
    spec = BACKBONES[backbone_name]
    inputs = keras.Input((input_height, input_width, 3), name="image")
    normalised = _preprocessing(spec.preprocessing, inputs)
    encoder = build_encoder(backbone_name, weights, bn_momentum, alpha=alpha)
    features = dict(zip(ENCODER_STRIDES, encoder(normalised)))
    x = features[32]
    stride = 32
    while stride > output_stride:
        stride //= 2
        x = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"up{stride}")(x)
        x = keras.layers.Concatenate(name=f"skip{stride}")([x, features[stride]])
        x = _conv_block(x, max(8, round(DECODER_FILTERS[stride] * decoder_width)), f"decoder{stride}")
    heatmaps = keras.layers.Conv2D(num_joints, 1, activation="sigmoid", dtype="float32", name="heatmaps")(x)
    return keras.Model(inputs, heatmaps, name=f"unet_{backbone_name}")
