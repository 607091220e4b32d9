"""`python -m jobs`: the one scheduler process (see jobs/scheduler.py)."""
import sys

from jobs.scheduler import main

sys.exit(main())
