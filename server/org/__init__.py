"""Administration of the org tree and catalogues, and the Excel imports that on-board a district."""
