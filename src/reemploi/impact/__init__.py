"""Impact accounting: factor sets, the avoided-emissions method, indicators and reports."""
