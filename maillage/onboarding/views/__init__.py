"""Pages of the first steps: the objections catalogue, the triggers and their first steps, the
questionnaire and the personal paths, and the coordinators' counts."""
