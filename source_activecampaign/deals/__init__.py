"""Deals: the full / partial access fallback and the first read in windows of creation time."""
