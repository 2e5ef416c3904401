"""draftlint: a linter for Chinese document drafts (package ``checker``)."""

__version__ = "0.1.0"
