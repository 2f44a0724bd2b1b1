"""Mastodon's and Bluesky's HTTP APIs as documented, answered by the real local test server.

Each fake keeps what it received (statuses, records, blobs) and can be told to fail: an error
status with the API's error body, or a 429 with the rate-limit headers the services send.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.http_server import LocalHTTPServer


def _send(
    handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def _body(handler: BaseHTTPRequestHandler) -> bytes:
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeMastodon:
    """POST /api/v1/statuses, POST /api/v2/media, GET /api/v1/statuses/:id."""

    server: LocalHTTPServer
    token: str = "jeton-valide"
    statuses: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    fail_next: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"replies": 2, "reblogs": 5, "favourites": 11}
    )

    @property
    def base_url(self) -> str:
        return self.server.url("")

    def install(self) -> FakeMastodon:
        self.server.route("/api/v1/statuses", handler=self._post_status)
        self.server.route("/api/v2/media", handler=self._post_media)
        self.server.route("/api/v1/media", handler=self._post_media)
        return self

    def _check(self, handler: BaseHTTPRequestHandler) -> bool:
        authorization = handler.headers.get("Authorization", "")
        self.authorizations.append(authorization)
        if self.fail_next:
            failure = self.fail_next.pop(0)
            _send(handler, failure.status, failure.body, failure.headers)
            return False
        if authorization != f"Bearer {self.token}":
            _send(handler, 401, {"error": "The access token is invalid"})
            return False
        return True

    def _status(self, number: str, text: str, media: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": number,
            "uri": f"{self.base_url}/users/museum/statuses/{number}",
            "url": f"{self.base_url}/@museum/{number}",
            "created_at": "2014-03-26T10:00:00.000Z",
            "content": f"<p>{text}</p>",
            "visibility": "public",
            "sensitive": False,
            "spoiler_text": "",
            "language": "fr",
            "replies_count": self.counts["replies"],
            "reblogs_count": self.counts["reblogs"],
            "favourites_count": self.counts["favourites"],
            "media_attachments": media,
            "mentions": [],
            "tags": [],
            "emojis": [],
            "account": {
                "id": "1",
                "username": "museum",
                "acct": "museum",
                "display_name": "Muséum",
            },
        }

    def _post_status(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "GET":
            self._get_status(handler)
            return
        raw = _body(handler)
        if not self._check(handler):
            return
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type:
            params = json.loads(raw or b"{}")
        else:
            params = {
                key: values if key.endswith("[]") else values[0]
                for key, values in parse_qs(raw.decode()).items()
            }
        text = params.get("status", "")
        if len(text) > 500:
            _send(
                handler, 422, {"error": "Validation failed: Text character limit of 500 exceeded"}
            )
            return
        number = str(100 + len(self.statuses))
        media_ids = params.get("media_ids[]") or params.get("media_ids") or []
        attached = [item for item in self.media if item["id"] in media_ids]
        status = self._status(number, text, attached)
        status["_params"] = params
        status["_idempotency"] = handler.headers.get("Idempotency-Key", "")
        self.statuses.append(status)
        self.server.route(f"/api/v1/statuses/{number}", handler=self._get_status)
        _send(
            handler, 200, {key: value for key, value in status.items() if not key.startswith("_")}
        )

    def _get_status(self, handler: BaseHTTPRequestHandler) -> None:
        if not self._check(handler):
            return
        number = handler.path.rstrip("/").rsplit("/", 1)[-1]
        for status in self.statuses:
            if status["id"] == number:
                fresh = self._status(number, "", status["media_attachments"])
                _send(handler, 200, fresh)
                return
        _send(handler, 404, {"error": "Record not found"})

    def _post_media(self, handler: BaseHTTPRequestHandler) -> None:
        raw = _body(handler)
        if not self._check(handler):
            return
        description = ""
        marker = b'name="description"'
        if marker in raw:
            description = (
                raw.split(marker, 1)[1].split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0].decode()
            )
        item = {
            "id": str(900 + len(self.media)),
            "type": "image",
            "url": f"{self.base_url}/media/{len(self.media)}.png",
            "preview_url": None,
            "description": description,
            "_size": len(raw),
        }
        self.media.append(item)
        _send(handler, 200, {key: value for key, value in item.items() if not key.startswith("_")})

    def route_status(self, number: str) -> None:
        """GET /api/v1/statuses/<id> (the server routes exact paths)."""
        self.server.route(f"/api/v1/statuses/{number}", handler=self._get_status)


def jwt(subject: str, *, seconds: int = 7200) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    payload = {
        "scope": "com.atproto.access",
        "sub": subject,
        "iat": int(time.time()),
        "exp": int(time.time()) + seconds,
        "jti": uuid.uuid4().hex,
    }
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


@dataclass
class FakeBluesky:
    """createSession, refreshSession, uploadBlob, createRecord, getPosts and listNotifications
    of a PDS. The tokens it hands out are the ones it accepts; `expire_access()` makes it answer
    the current access tokens with 400 ExpiredToken, as a PDS does once they lapse."""

    server: LocalHTTPServer
    handle: str = "museum.bsky.example"
    password: str = "abcd-efgh-ijkl-mnop"
    did: str = "did:plc:museumexample"
    records: list[dict[str, Any]] = field(default_factory=list)
    blobs: list[bytes] = field(default_factory=list)
    sessions: int = 0
    fail_next: dict[str, list[Failure]] = field(default_factory=dict)
    likes: int = 7
    refreshes: int = 0
    access_tokens: set[str] = field(default_factory=set)
    refresh_tokens: set[str] = field(default_factory=set)
    # Posts getPosts answers with as they are (uri → post view), e.g. a question in a thread.
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # listNotifications' answer, newest first as the PDS sorts them; the paths asked.
    notifications: list[dict[str, Any]] = field(default_factory=list)
    notification_requests: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.server.url("")

    def expire_access(self) -> None:
        self.access_tokens.clear()

    def install(self) -> FakeBluesky:
        routes = {
            "/xrpc/com.atproto.server.createSession": self._create_session,
            "/xrpc/com.atproto.server.refreshSession": self._refresh_session,
            "/xrpc/app.bsky.notification.listNotifications": self._list_notifications,
            "/xrpc/com.atproto.repo.createRecord": self._create_record,
            "/xrpc/com.atproto.repo.uploadBlob": self._upload_blob,
            "/xrpc/app.bsky.feed.getPosts": self._get_posts,
        }
        for path, handler in routes.items():
            self.server.route(path, handler=handler)
        return self

    def _failed(self, name: str, handler: BaseHTTPRequestHandler) -> bool:
        queue = self.fail_next.get(name) or []
        if queue:
            failure = queue.pop(0)
            _send(handler, failure.status, failure.body, failure.headers)
            return True
        return False

    def _authorized(self, handler: BaseHTTPRequestHandler) -> bool:
        authorization = handler.headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            _send(
                handler,
                401,
                {"error": "AuthenticationRequired", "message": "Authentication Required"},
            )
            return False
        if authorization.removeprefix("Bearer ") not in self.access_tokens:
            _send(handler, 400, {"error": "ExpiredToken", "message": "Token has expired"})
            return False
        return True

    def _new_session(self, handler: BaseHTTPRequestHandler) -> None:
        access, refresh = jwt(self.did), jwt(self.did, seconds=86400)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        _send(
            handler,
            200,
            {
                "accessJwt": access,
                "refreshJwt": refresh,
                "handle": self.handle,
                "did": self.did,
                "active": True,
            },
        )

    def _refresh_session(self, handler: BaseHTTPRequestHandler) -> None:
        _body(handler)
        if self._failed("refreshSession", handler):
            return
        token = handler.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.refresh_tokens:
            _send(handler, 400, {"error": "ExpiredToken", "message": "Token has been revoked"})
            return
        # A refresh token is used once: the PDS rotates it.
        self.refresh_tokens.discard(token)
        self.refreshes += 1
        self._new_session(handler)

    def _list_notifications(self, handler: BaseHTTPRequestHandler) -> None:
        self.notification_requests.append(handler.path)
        if self._failed("listNotifications", handler) or not self._authorized(handler):
            return
        query = parse_qs(urlsplit(handler.path).query)
        reasons = set(query.get("reasons", []))
        limit = int((query.get("limit") or ["50"])[0])
        start = int((query.get("cursor") or ["0"])[0])
        found = [item for item in self.notifications if not reasons or item["reason"] in reasons]
        page = found[start : start + limit]
        body: dict[str, Any] = {"notifications": page}
        if start + limit < len(found):
            body["cursor"] = str(start + limit)
        _send(handler, 200, body)

    def _create_session(self, handler: BaseHTTPRequestHandler) -> None:
        data = json.loads(_body(handler) or b"{}")
        if self._failed("createSession", handler):
            return
        if data.get("identifier") != self.handle or data.get("password") != self.password:
            _send(
                handler,
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            )
            return
        self.sessions += 1
        self._new_session(handler)

    def _create_record(self, handler: BaseHTTPRequestHandler) -> None:
        data = json.loads(_body(handler) or b"{}")
        if self._failed("createRecord", handler) or not self._authorized(handler):
            return
        record = data.get("record", {})
        if len(record.get("text", "")) > 300:
            _send(
                handler,
                400,
                {
                    "error": "InvalidRequest",
                    "message": "Record/text must not be longer than 300 graphemes",
                },
            )
            return
        rkey = f"3k{len(self.records):05d}"
        self.records.append(data)
        _send(
            handler,
            200,
            {"uri": f"at://{self.did}/app.bsky.feed.post/{rkey}", "cid": f"bafyrei{rkey}"},
        )

    def _upload_blob(self, handler: BaseHTTPRequestHandler) -> None:
        raw = _body(handler)
        if self._failed("uploadBlob", handler) or not self._authorized(handler):
            return
        self.blobs.append(raw)
        _send(
            handler,
            200,
            {
                "blob": {
                    "$type": "blob",
                    "ref": {"$link": "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"},
                    "mimeType": handler.headers.get("Content-Type", "image/png"),
                    "size": len(raw),
                }
            },
        )

    def _get_posts(self, handler: BaseHTTPRequestHandler) -> None:
        if self._failed("getPosts", handler) or not self._authorized(handler):
            return
        uris = parse_qs(urlsplit(handler.path).query).get("uris", [])
        posts = []
        for uri in uris:
            if uri in self.posts:
                posts.append(self.posts[uri])
                continue
            rkey = uri.rsplit("/", 1)[-1]
            posts.append(
                {
                    "uri": uri,
                    "cid": f"bafyrei{rkey}",
                    "author": {"did": self.did, "handle": self.handle},
                    "record": {
                        "$type": "app.bsky.feed.post",
                        "text": "…",
                        "createdAt": "2014-03-26T10:00:00.000Z",
                    },
                    "indexedAt": "2014-03-26T10:00:01.000Z",
                    "likeCount": self.likes,
                    "repostCount": 3,
                    "replyCount": 1,
                    "quoteCount": 1,
                }
            )
        _send(handler, 200, {"posts": posts})
