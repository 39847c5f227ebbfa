"""Accounts, tokens and the HTTP API."""

from reemploi.i18n.registry import M

M("unknown_user", "Unknown user: {user}")
M("unknown_token", "Unknown token: {token}")
M("unknown_role", "Unknown role: {role} (roles: {roles})")
M("user_name_invalid", "Invalid user name: '{user}' (letters, digits, . _ - @; at most 120 characters).")
M("user_exists", "User {user} already exists.")
M("user_disabled", "User {user} is disabled.")
M("password_empty", "An empty password is refused.")
M("password_short", "Password too short: at least {min} characters.")
M("password_weak", "Password too weak (too common, too repetitive, or containing the user name).")
M("password_mismatch", "The two entries differ.")
M("password_prompt", "Password")
M("password_prompt_again", "Password (again)")
M("token_ambiguous", "Several tokens start with {token}: give its id.")
M("user_created", "User {user} created (role {role}).")
M("user_disabled_done", "User {user} disabled; {tokens:n} token(s) revoked.")
M("token_created", "Token for {user} (shown once, keep it):")
M("token_revoked", "Token {token} ({user}) revoked.")
M("no_users", "No users.")
M("no_tokens", "No tokens.")
M(
    "serve_start",
    "reemploi: web UI on http://{host}:{port}/ , API on http://{host}:{port}/api/v1 (database {url}); "
    "Ctrl-C to stop.",
)
M("auth_failed", "Invalid credentials.")
M("login_throttled", "Too many failed logins: try again in {minutes} min.")
M("auth_required", "Authentication required (Bearer token or session).")
M("forbidden", "Role '{role}' does not allow '{permission}'.")
M("csrf_failed", "Missing or invalid CSRF token (X-CSRF-Token header).")
M("route_not_found", "No such address: {path}")
M("method_not_allowed", "Method {method} is not allowed here.")
M("validation_error", "Invalid request: {details}")
M("bad_cursor", "Invalid pagination cursor.")
M("unknown_job", "Unknown job: {job}")
M("job_interrupted", "Job interrupted: the server process running it stopped; start it again.")
M("api_internal_error", "Internal error (a bug, not your request); nothing was saved. Reference: {ref}")
M("move_refused", "{serial} is '{state}': {reason}")
M("http_error", "HTTP error {status}.")
M("upload_too_large", "File too large: at most {max} MB.")
