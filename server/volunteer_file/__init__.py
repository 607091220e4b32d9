"""一人一档: a volunteer's whole file, assembled from every programme's section."""
