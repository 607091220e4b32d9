"""The scheduler process (APScheduler): `python -m jobs`; one module per job, listed in
jobs/registry.py; jobs/runner.py wraps every run in an app context and one unit of work."""
