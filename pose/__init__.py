"""Human keypoint detection: datasets, heatmap targets, training, evaluation and export.

Coordinates everywhere are ``(x, y)`` in pixels, arrays shaped ``(N, K, 2)`` with ``K`` joints
in the MPII-16 order of :mod:`pose.joints`. Errors a user can cause are :class:`pose.errors.PoseError`.
"""
