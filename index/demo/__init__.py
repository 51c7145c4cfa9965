"""Offline demo feeds written for newsreader, subscribed to on a fresh library."""
