"""What the jobs process needs from the application: settings, the run log and leadership."""
