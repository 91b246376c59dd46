"""Rendering: claims, findings, evaluations and rules as tables, JSON, CSV and check formats."""
