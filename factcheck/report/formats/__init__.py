"""The output formats of `check`: one module each, listed in `registry.py`."""
