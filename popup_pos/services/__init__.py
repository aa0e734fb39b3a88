"""Use cases called by the GUI and CLI; each takes a unit of work and commits explicitly."""
