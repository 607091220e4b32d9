"""争六星: the six-star rating of volunteers, twice a year."""
