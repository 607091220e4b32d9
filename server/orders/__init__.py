"""Service orders (点单式): offerings with time slots, the menu, orders, ratings."""
