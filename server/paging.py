"""A query to page through, with how each row becomes what the caller may see."""
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Paged:
    query: Any
    transform: Callable[[Any], Any] = lambda row: row
    scalars: bool = True
