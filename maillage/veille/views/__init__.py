"""Pages of the watch. Views stay thin: selectors read (and decide who sees what), services
change things."""
