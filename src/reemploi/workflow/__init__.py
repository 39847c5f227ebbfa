"""The lifecycle: states and transitions as data, one door for every change, the audit chain."""
