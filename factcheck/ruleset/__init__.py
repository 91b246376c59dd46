"""The rule set: the YAML files of `rules/`, layered, checked and held as validated data."""
