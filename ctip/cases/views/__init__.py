"""Case views: the core (list, registration, detail, status, assignment) in core.py; NRM sections in sections.py."""
