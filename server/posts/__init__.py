"""设岗定职: posts per community, their holders and duty logs."""
