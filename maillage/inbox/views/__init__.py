"""The inbox's pages: public (ask, confirm, questions and answers) and inside a space."""
