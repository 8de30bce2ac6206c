"""Redshift SQL text on the client side: parameter binding and executemany planning."""
