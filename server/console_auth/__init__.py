"""Signing in to the web console by scanning a QR code with the mini-program (API.md part 2)."""
