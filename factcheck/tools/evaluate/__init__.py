"""Evaluation against gold annotations and incident counts, module by job (`evaluation.py`)."""
