"""The refurbishment bench: tests, grading, repairs, sanitization, firmware, disposal."""
