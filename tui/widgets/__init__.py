"""Widgets of the newsreader app, one module each, named for what they show."""
