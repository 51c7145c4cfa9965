"""newsreader's front door: the ``newsreader`` command and the Textual app."""
