"""Static files under content-hashed URLs, cached for a year and sent pre-compressed.

`url_for('static', filename=...)` and `url_for('main.vendor', name=...)` gain a
`v=<digest of the file's bytes>` argument, so a page always names the exact
bytes it was built against. A request whose `v` matches is answered with
`Cache-Control: public, max-age=31536000, immutable`: a browser never asks for
it again, and a new release (new bytes, new digest) is a new URL. Without `v`,
or with a stale one, the file comes with `no-cache` (revalidated by its ETag).

Each file is read (and hashed) once per process, again when it changes on disk,
and compressed the first time a client asks for it in brotli or gzip, at levels
too slow for every request but cheap once. Dynamic pages are compressed per
response by Flask-Compress instead.
"""

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Response, request

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
# Best first: brotli is about 10% smaller than gzip on our JavaScript.
COMPRESSORS = {
    "br": lambda raw: brotli.compress(raw, quality=9),
    "gzip": lambda raw: gzip.compress(raw, 9, mtime=0),
}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    """One file's bytes and digest, and its compressed forms once asked for."""

    mimetype: str
    digest: str
    raw: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def compressible(self) -> bool:
        """Whether compressing pays (text, and more than a packet's worth)."""
        return self.mimetype.startswith(COMPRESSIBLE) and len(self.raw) > 500

    def encode(self, encoding: str) -> bytes:
        """Return the bytes compressed with encoding (computed once)."""
        if encoding not in self.encoded:
            # Two threads may both compress: the same bytes, and the first one is kept.
            self.encoded.setdefault(encoding, COMPRESSORS[encoding](self.raw))
        return self.encoded[encoding]


_assets: dict[Path, tuple[tuple[int, int], Asset]] = {}
_lock = threading.Lock()


def load(path: Path) -> Asset:
    """Return the asset of path, read and hashed once for each version of the file."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _assets.get(path)
    if known and known[0] == stamp:
        return known[1]
    with _lock:
        known = _assets.get(path)
        if known and known[0] == stamp:
            return known[1]
        asset = _read(path)
        _assets[path] = (stamp, asset)
        return asset


def _read(path: Path) -> Asset:
    raw = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Asset(mimetype, hashlib.sha256(raw).hexdigest()[:12], raw)


def digest(path: Path) -> str | None:
    """Return the digest that versions path's URL (None when the file is missing)."""
    try:
        return load(path).digest
    except OSError:
        return None


def _encoding(asset: Asset) -> str | None:
    if not asset.compressible:
        return None
    accepted = request.accept_encodings
    return next((name for name in COMPRESSORS if accepted[name] > 0), None)


def send(path: Path) -> Response:
    """Answer a request for path: the best encoding the client takes, cached by the URL's digest."""
    asset = load(path)
    encoding = _encoding(asset)
    response = Response(asset.encode(encoding) if encoding else asset.raw, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.digest}-{encoding or 'identity'}")
    fresh = request.args.get("v") == asset.digest
    response.headers["Cache-Control"] = IMMUTABLE if fresh else "no-cache"
    return response.make_conditional(request)
