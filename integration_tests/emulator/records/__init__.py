"""Record builders, one module per area of the API; resources.py registers them."""
