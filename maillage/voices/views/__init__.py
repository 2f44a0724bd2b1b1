"""The voices' pages: public (space, voices, posts, feeds), the team and the strategy, posts
and their review, the calendar and the figures."""
