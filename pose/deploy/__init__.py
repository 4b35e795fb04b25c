"""Deployment: TFLite export and the LiteRT runner, golden vectors for the app, `python -m pose predict`."""
