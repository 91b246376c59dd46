"""Input: report files, folders and corpora read into documents, with their metadata."""
