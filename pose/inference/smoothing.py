"""Keypoints smoothed over video frames: a one-euro filter per coordinate, weighted by the joint's confidence.

The one-euro filter (Casiez, Roussel and Vogel, CHI 2012) is a low-pass filter whose cut-off
rises with speed: still joints stop jittering, fast ones lag little. Each frame's measurement is
trusted in proportion to its confidence, so a joint the model is unsure of moves less.
"""

import math

import numpy as np


def smoothing_factor(cutoff_hz, seconds):
    """Exponential smoothing factor of a first-order low-pass filter at ``cutoff_hz`` over a step of ``seconds``."""
    tau = 1.0 / (2 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / seconds)


class OneEuroFilter:
    """Smooths (K, 2) keypoints frame by frame.

    Args:
        min_cutoff_hz: cut-off at rest: lower is smoother when still.
        beta: how fast the cut-off rises with speed (per pixel/second): higher lags less.
        derivative_cutoff_hz: cut-off of the speed estimate.
    """

    def __init__(self, min_cutoff_hz=1.0, beta=0.05, derivative_cutoff_hz=1.0):
        self.min_cutoff_hz, self.beta, self.derivative_cutoff_hz = min_cutoff_hz, beta, derivative_cutoff_hz
        self.reset()

    def reset(self):
        """Forget the past (a new person, or the track was lost)."""
        self.value = self.speed = self.time = None

    def __call__(self, keypoints, confidence, time_seconds):
        """The smoothed keypoints (K, 2) for this frame's ``keypoints`` (K, 2), ``confidence`` (K,) 0..1 at ``time_seconds``."""
        keypoints = np.asarray(keypoints, np.float64)
        weight = np.clip(np.asarray(confidence, np.float64), 0.0, 1.0)[:, None]
        if self.value is None or time_seconds <= self.time:
            self.value, self.speed, self.time = keypoints.copy(), np.zeros_like(keypoints), time_seconds
            return self.value.copy()
        seconds = time_seconds - self.time
        speed = (keypoints - self.value) / seconds
        self.speed += smoothing_factor(self.derivative_cutoff_hz, seconds) * weight * (speed - self.speed)
        cutoff = self.min_cutoff_hz + self.beta * np.abs(self.speed)
        tau = 1.0 / (2 * math.pi * cutoff)
        alpha = weight / (1.0 + tau / seconds)
        self.value += alpha * (keypoints - self.value)
        self.time = time_seconds
        return self.value.copy()
