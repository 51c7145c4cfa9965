"""Screens of the newsreader app, one module each."""
