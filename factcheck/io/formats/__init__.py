"""The input formats: one module each, listed in `registry.py`."""
