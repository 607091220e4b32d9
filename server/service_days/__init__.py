"""Venues and service days (党员义务奉献日)."""
