"""Actions on the mailing list, one module per topic: subscriptions, posting (web and email),
sending (outgoing), receiving (incoming), bounces and digests."""
