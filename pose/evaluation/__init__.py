"""Evaluation: predictions on test sets scored against the labels, curves and decoder comparisons."""
