# This site's part of the front cache (included by claimsdesk.vcl; docs/deploy.md, "Front
# cache: Varnish"): the app servers, and who may purge. Copy it next to claimsdesk.vcl
# (/etc/varnish) and put in your own addresses.

# One `backend` per app server (gunicorn's GUNICORN_BIND), each added to the round-robin
# director `app` below. Host is the one the probe sends: a name in ALLOWED_HOSTS.
backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .host_header = "claims.example.org";
    .probe = ready;
    .connect_timeout = 2s;
    # A little above gunicorn's timeout (GUNICORN_TIMEOUT, 30 s), which ends a slow request.
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 35s;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .host_header = "claims.example.org";
    .probe = ready;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 35s;
}

sub vcl_init {
    app.add_backend(app1);
    app.add_backend(app2);
}

# The addresses a PURGE may come from: the app servers (every worker purges when the desk
# publishes) and this machine (an operator's `curl -X PURGE`).
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.11";
    "10.0.0.12";
}
