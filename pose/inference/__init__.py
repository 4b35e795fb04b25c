"""Inference on whole photos and video frames: the code path `python -m pose predict` and evaluation share."""
