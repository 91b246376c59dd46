"""Comparison: claims compared into findings by the detectors `detectors.py` lists."""
