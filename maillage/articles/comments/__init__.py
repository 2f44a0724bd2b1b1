"""Comments on articles (workshop reports among them) and events: threads, guests confirmed by
email, review."""
