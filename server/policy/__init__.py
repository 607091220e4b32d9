"""The four rules every capability obeys (DESIGN.md "People and roles"; docs/security.md).

Each rule is one module here, called by every service that the rule concerns — present and future
capabilities alike — so a new capability inherits the rule instead of re-deriving it:

- `scope`      scope containment: a grant names one scope of the kind its role takes; whoever
               grants, lists or acts holds a scope that contains the whole of the target's.
- `parties`    no one on both sides: the person a step is about never takes that step.
- `location`   nothing public locates a home: public positions, distances, radius filters and
               orderings work from the coarse (~1 km) position.
- `membership` access ends with the role: only a current membership (an active volunteer, a live
               grant) gives access, and leaving releases what the person holds.

And one shared rule that is not about access: `priority` (who is served first: the household's
need tier, how long a task has waited, how soon it is due).
"""
