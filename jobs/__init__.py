"""The scheduler process (APScheduler); see jobs/__main__.py."""
