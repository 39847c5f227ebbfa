"""Command-line adapter: parse arguments, call one domain function, format the result."""
