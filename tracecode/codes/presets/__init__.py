"""Scheme files (TOML) shipped with Tracecode; a package so that they install with it."""
