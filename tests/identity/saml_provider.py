"""A real SAML 2.0 identity provider for the sign-in tests, built on pysaml2.

It reads the AuthnRequest (HTTP-Redirect), shows a sign-in form, checks the password and
answers with a signed assertion (HTTP-POST) for the service provider named in its metadata —
what an institution's IdP does. It listens on 127.0.0.1 on a free port, in a thread.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp.invalid")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "idp.key", directory / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SamlIdentityProvider:
    def __init__(self, directory: Path, people: dict[str, dict[str, str]]) -> None:
        self.directory = directory
        self.people = people
        self.key_path, self.cert_path = self_signed_certificate(directory)
        self.httpd = make_server(
            "127.0.0.1", 0, self.app, server_class=_Server, handler_class=_QuietHandler
        )
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.base}/metadata"
        self.sso_url = f"{self.base}/sso/redirect"
        self.pending: dict[str, tuple[Any, str]] = {}
        self.server: Server | None = None

    @property
    def certificate_pem(self) -> str:
        return self.cert_path.read_text()

    def trust(self, sp_metadata: str) -> None:
        """Load the service provider's metadata (as an institution's IdP admin would)."""
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "service": {
                    "idp": {
                        "name": "Riverside test IdP",
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                        },
                        "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                        "policy": {"default": {"lifetime": {"minutes": 15}}},
                    }
                },
                "key_file": str(self.key_path),
                "cert_file": str(self.cert_path),
                "metadata": {"inline": [sp_metadata]},
                "xmlsec_binary": "/usr/bin/xmlsec1",
                "delete_tmpfiles": True,
            }
        )
        self.server = Server(config=config)

    def start(self) -> None:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/sso/redirect":
            return self._login_form(environ, start_response)
        if path == "/login" and environ["REQUEST_METHOD"] == "POST":
            return self._authenticate(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _page(self, start_response: Any, body: str, status: str = "200 OK") -> list[bytes]:
        start_response(status, [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode()]

    def _login_form(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        assert self.server is not None
        query = parse_qs(environ.get("QUERY_STRING", ""))
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        key = secrets.token_urlsafe(8)
        self.pending[key] = (request, query.get("RelayState", [""])[0])
        return self._page(
            start_response,
            '<h1>Institution sign-in</h1><form method="post" action="/login">'
            f'<input type="hidden" name="key" value="{key}">'
            '<input name="email"><input type="password" name="password">'
            "<button>Sign in</button></form>",
        )

    def _authenticate(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        assert self.server is not None
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        request, relay_state = self.pending.pop(form.get("key", ""), (None, ""))
        person = self.people.get(form.get("email", ""))
        if request is None or person is None or person["password"] != form.get("password"):
            return self._page(
                start_response, "<h1>Wrong address or password</h1>", "401 Unauthorized"
            )
        email = form["email"]
        arguments = self.server.response_args(request.message, [BINDING_HTTP_POST])
        response = self.server.create_authn_response(
            {
                "mail": [email],
                "givenName": [person["first_name"]],
                "sn": [person["last_name"]],
                "uid": [person["uid"]],
            },
            userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **arguments,
        )
        binding = self.server.apply_binding(
            BINDING_HTTP_POST, str(response), arguments["destination"], relay_state, response=True
        )
        body = binding["data"]
        return self._page(start_response, body if isinstance(body, str) else html.escape(str(body)))
