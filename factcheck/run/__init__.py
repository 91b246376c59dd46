"""Runs: the driver that reads and compares, the API, streaming, workers and the claims store."""
