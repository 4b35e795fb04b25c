"""The encoders the U-Net can be built on: names, feature layers, normalisation, ImageNet files.

Plain data with no Keras import, so that reading ``params.yaml`` can check ``train.backbone``
and ``geometry.output_stride`` without loading TensorFlow.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Backbone:
    constructor: str  # keras.applications attribute
    # Encoder layers at strides 2, 4, 8, 16, 32 of the input. The deepest one stops before any
    # final 1x1 "top" convolution (MobileNetV2's 1280 channels is its biggest single part).
    feature_layers: tuple
    preprocessing: str  # "tf" (x / 127.5 - 1), "caffe" (BGR, ImageNet means), "inside" (the model has it)
    weights_file: str  # what keras loads for weights="imagenet", under $KERAS_HOME/models/


BACKBONES = {
    "mobilenet_v2": Backbone(
        "MobileNetV2",
        ("block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu", "block_13_expand_relu", "block_16_project_BN"),
        "tf", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5",
    ),
    "efficientnet_b0": Backbone(
        "EfficientNetB0",
        ("block2a_expand_activation", "block3a_expand_activation", "block4a_expand_activation",
         "block6a_expand_activation", "block7a_project_bn"),
        "inside", "efficientnetb0_notop.h5",
    ),
    "resnet50": Backbone(
        "ResNet50",
        ("conv1_relu", "conv2_block3_out", "conv3_block4_out", "conv4_block6_out", "conv5_block3_out"),
        "caffe", "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
    ),
}
ENCODER_STRIDES = (2, 4, 8, 16, 32)
