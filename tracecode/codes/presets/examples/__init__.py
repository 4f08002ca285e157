"""Example scheme files, one per rule family of SPEC section 2."""
