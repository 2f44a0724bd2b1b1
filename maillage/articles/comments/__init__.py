"""Comments on articles, event reports and events: threads, guests confirmed by email, review."""
