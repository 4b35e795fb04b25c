"""The heatmap codec: Gaussian targets from keypoints (encode) and keypoints from heatmaps (decode).

The one home of the heatmap convention: crop <-> heatmap coordinates, the renderers (numpy and
TensorFlow) and the marker of an unlabeled joint.
"""
