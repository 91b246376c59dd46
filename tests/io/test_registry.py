"""The input-format registry: the loader reads a file by the format its suffix names."""

from __future__ import annotations

from factcheck.io.formats.registry import INPUT_FORMATS, SUFFIXES, format_of


def test_each_suffix_names_one_format_in_the_documented_order() -> None:
    assert SUFFIXES == (".txt", ".md", ".markdown", ".jsonl", ".ndjson", ".csv")
    assert len(set(SUFFIXES)) == len(SUFFIXES)
    for input_format in INPUT_FORMATS:
        for suffix in input_format.suffixes:
            assert format_of(f"a/report{suffix.upper()}") is input_format
    assert format_of("notes.pdf") is None and format_of("README") is None
