"""Extraction: a report's figures and names read into claims, with their source, date and scope."""
