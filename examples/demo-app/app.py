"""The seed's web app, in miniature: one page whose greeting comes from the environment's
settings (Parameter Store in the seed), and a health check for the load balancer."""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


def settings():
    """APP_CONFIG holds the environment's JSON settings (the seed keeps them in SSM)."""
    return json.loads(os.environ.get("APP_CONFIG", '{"greeting": "hello", "env": "local"}'))


def version():
    """APP_VERSION, else the VERSION file the build wrote next to the app, else "dev"."""
    if os.environ.get("APP_VERSION"):
        return os.environ["APP_VERSION"]
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "VERSION")) as f:
            return f.read().strip() or "dev"
    except OSError:
        return "dev"


def render(path):
    """(status, body) for a request path."""
    if path == "/health":
        return 200, "ok\n"
    if path == "/":
        s = settings()
        return 200, f"{s.get('greeting', 'hello')} from {s.get('env', 'local')} ({version()})\n"
    return 404, "not found\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = render(self.path)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
