"""Micro-wishes (微心愿): post, review, wall, claim, fulfil, confirm."""
