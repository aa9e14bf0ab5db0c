"""HTTP blueprints: parse the request, call a use case, return a dict."""
