"""Long work run by the server as jobs, stored so that every server process sees them."""
