"""Training: the U-Net model, the losses, the tf.data input pipeline with augmentation, two-phase transfer learning."""
