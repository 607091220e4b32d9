"""结对: long-term pairings of a volunteer with a household, visits, and the engine's proposals."""
