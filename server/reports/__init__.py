"""Reports: figures per community, street and district (daily snapshots to start with)."""
