"""Accounts: users with a role, and API tokens hashed at rest."""
