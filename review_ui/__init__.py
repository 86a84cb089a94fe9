"""Review web app: cyber-police reviewers triage flagged posts, search the index, view evidence."""
