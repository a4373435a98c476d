"""Shared helpers for ECR black-box tests: an ECR login token and a raw registry (/v2/) client
over http.client, so tests see statuses and headers exactly as sent.

    password = login_password(hakobu, DEV)           # GetAuthorizationToken, decoded
    reg = RegistryClient(hakobu.url, password)       # Basic AWS:<password> on every request
    r = reg.request("GET", "/v2/")                   # Resp(status, headers, body)
    digest = reg.push_blob("000000000000/app", b"bytes")
    r = reg.put_manifest("000000000000/app", "v1", manifest_bytes, OCI_MANIFEST)

Stable interface (other ECR tests import it): login_password, repo_path, sha256, RegistryClient
(request, push_blob, put_manifest, get_manifest, image_manifest), Resp, the media-type constants.
"""
import base64
import hashlib
import http.client
import json
import urllib.parse

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
ALL_MANIFEST_TYPES = (DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX)


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def login_password(server, creds):
    """The registry password for creds (what `aws ecr get-login-password` prints)."""
    data = server.client("ecr", creds=creds).get_authorization_token()["authorizationData"][0]
    user, password = base64.b64decode(data["authorizationToken"]).decode().split(":", 1)
    assert user == "AWS", data
    return password


def repo_path(account, name, region=None):
    """The registry name of a repository on hakobu's own host: <account>[/<region>]/<name>."""
    return f"{account}/{region}/{name}" if region else f"{account}/{name}"


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage: case-insensitive .get()
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def error_code(self):
        return self.json["errors"][0]["code"]

    def __repr__(self):
        return f"Resp({self.status}, {dict(self.headers)}, {self.body[:300]!r})"


class RegistryClient:
    """Raw HTTP to hakobu's registry. password=None sends no Authorization header."""

    def __init__(self, url, password=None, user="AWS"):
        parsed = urllib.parse.urlparse(url)
        self.host = parsed.hostname
        self.port = parsed.port
        self.auth = None
        if password is not None:
            self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def request(self, method, path, body=None, headers=None, chunked=False):
        """One request on a fresh connection. `body` may be bytes or (chunked=True) an
        iterable of bytes sent with Transfer-Encoding: chunked. `headers` is a dict, or a list
        of (name, value) pairs to repeat a header (then no body is sent)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            if isinstance(headers, list):
                # (name, value) pairs, repeats allowed (several Accept headers); no body.
                conn.putrequest(method, path, skip_accept_encoding=True)
                for name, value in headers:
                    conn.putheader(name, value)
                if self.auth:
                    conn.putheader("Authorization", self.auth)
                conn.endheaders()
            else:
                h = dict(headers or {})
                if self.auth and "Authorization" not in h:
                    h["Authorization"] = self.auth
                conn.request(method, path, body=body, headers=h, encode_chunked=chunked)
            r = conn.getresponse()
            data = r.read()
            return Resp(r.status, r.headers, data)
        finally:
            conn.close()

    def push_blob(self, name, data):
        """Monolithic upload (POST ?digest=); returns the digest."""
        digest = sha256(data)
        r = self.request("POST", f"/v2/{name}/blobs/uploads/?digest={digest}", body=data,
                         headers={"Content-Type": "application/octet-stream"})
        assert r.status == 201, r
        return digest

    def put_manifest(self, name, reference, data, media_type):
        if isinstance(data, (dict, list)):
            data = json.dumps(data).encode()
        return self.request("PUT", f"/v2/{name}/manifests/{reference}", body=data,
                            headers={"Content-Type": media_type})

    def get_manifest(self, name, reference, accept=ALL_MANIFEST_TYPES, method="GET"):
        headers = {"Accept": ", ".join(accept)} if accept else {}
        return self.request(method, f"/v2/{name}/manifests/{reference}", headers=headers)

    def image_manifest(self, name, media_type=OCI_MANIFEST, layer=b"layer-bytes", config=b"{}", **extra):
        """Pushes a config and one layer, returns the bytes of an image manifest naming them
        (`extra` adds top-level members: subject, artifactType, annotations)."""
        docker = media_type == DOCKER_MANIFEST
        config_digest = self.push_blob(name, config)
        layer_digest = self.push_blob(name, layer)
        doc = {
            "schemaVersion": 2,
            "mediaType": media_type,
            "config": {"mediaType": DOCKER_CONFIG if docker else OCI_CONFIG, "digest": config_digest,
                       "size": len(config)},
            "layers": [{"mediaType": DOCKER_LAYER if docker else OCI_LAYER, "digest": layer_digest,
                        "size": len(layer)}],
        }
        doc.update(extra)
        return json.dumps(doc, indent=1).encode()
