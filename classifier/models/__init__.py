"""Packaged model directories (a package only so wheels ship their files)."""
