"""Programme settings stored in the database (second-life horizon, targets, …)."""
