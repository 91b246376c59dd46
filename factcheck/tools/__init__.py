"""Tools over the stages: rule cases, the rulebook, and evaluation against gold annotations."""
