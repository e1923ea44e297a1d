"""Every state migration: saved states turned into what the streams resume from."""
