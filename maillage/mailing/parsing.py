"""Reading an email as it comes: its sender, subject, identifiers, text, attachments, and what
says it was written by a machine. Hostile or broken emails are read as far as they can be, never
trusted: unknown or lying charsets fall back to UTF-8 then Windows-1252, HTML is sanitised and
turned into Markdown (scripts and styles dropped with their content), attachments are checked
against the allowed types by their first bytes, not their names.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from pathlib import PurePath

from django.conf import settings

from maillage.core.text import sanitize_html

MESSAGE_ID = re.compile(r"<[^<>\s@]{1,200}@[^<>\s@]{1,200}>")

# Types kept as attachments, with how their first bytes must look (None: any text).
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "text/plain": None,
    "text/csv": None,
    "text/calendar": None,
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.spreadsheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.presentation": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-powerpoint": (b"\xd0\xcf\x11\xe0",),
}
# Mail clients often say application/octet-stream: the extension then names the type, and the
# first bytes must agree with it.
TYPES_BY_EXTENSION = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
# Auto-replies that say so only in their subject.
_AUTOMATIC_SUBJECT = re.compile(
    r"^\s*(auto(matic)?\s*(reply|response)|réponse automatique|out of (the )?office|"
    r"absent(e)?\b|absence\b|auto:)",
    re.IGNORECASE,
)


@dataclass
class FoundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class RefusedAttachment:
    filename: str
    reason: str  # "type", "size", "count", "content"


@dataclass
class ParsedMail:
    message: EmailMessage
    sender: str = ""  # the From address, lowercase
    sender_name: str = ""
    subject: str = ""
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    text: str = ""
    from_html: bool = False
    attachments: list[FoundAttachment] = field(default_factory=list)
    refused: list[RefusedAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return header_text(self.message, name)

    def all_headers(self, name: str) -> list[str]:
        try:
            return [str(value) for value in self.message.get_all(name) or []]
        except Exception:  # a header Python cannot even decode is as good as absent
            return []

    @property
    def is_delivery_report(self) -> bool:
        return (
            self.message.get_content_type() == "multipart/report"
            and str(self.message.get_param("report-type", "")).lower() == "delivery-status"
        )


def header_text(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # malformed encoded words, unknown charsets in a header
        return ""
    if value is None:
        return ""
    return re.sub(r"[\r\n\t]+", " ", str(value)).strip()


def decode_text(part: Message) -> str:
    """A text part's content whatever its declared charset says (or lies)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(payload or "")
    charset = (part.get_content_charset() or "").strip().lower()
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


_PRESENTATIONAL = {"b": "strong", "i": "em"}
_PRESENTATIONAL_TAG = re.compile(r"<(/?)(b|i)(\s[^>]*)?>", re.IGNORECASE)


def html_to_markdown(markup: str) -> str:
    """Sanitised first (scripts, styles, handlers and javascript: links go), then Markdown;
    mail clients write <b> and <i> where the sanitiser keeps <strong> and <em>."""
    from maillage.articles.syndication.html_markdown import html_to_markdown as convert

    markup = _PRESENTATIONAL_TAG.sub(
        lambda match: f"<{match.group(1)}{_PRESENTATIONAL[match.group(2).lower()]}>", markup
    )
    return convert(sanitize_html(markup))


def message_ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value or "")


def _clean_filename(name: str) -> str:
    name = PurePath(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f/]+", "", name).strip(" .")
    return name[:200] or "piece-jointe"


def _attachment_type(filename: str, declared: str, content: bytes) -> str | None:
    """The allowed type of this attachment, or None; the first bytes must fit the type."""
    declared = declared.lower()
    by_name = TYPES_BY_EXTENSION.get(PurePath(filename).suffix.lower())
    content_type = declared if declared in ALLOWED_TYPES else by_name
    if content_type is None:
        return None
    signatures = ALLOWED_TYPES[content_type]
    if signatures is None:
        return content_type if b"\x00" not in content[:4096] else None
    if not any(content.startswith(signature) for signature in signatures):
        return None
    if content_type == "image/webp" and content[8:12] != b"WEBP":
        return None
    return content_type


def _is_attachment(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    return bool(part.get_filename()) and part.get_content_maintype() != "text"


def _walk_leaves(message: Message) -> list[Message]:
    leaves: list[Message] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        leaves.append(part)
    return leaves


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parsed = ParsedMail(message=message)
    parsed.defects = [type(defect).__name__ for defect in message.defects]
    from_value = header_text(message, "From")
    addresses = [address for address in getaddresses([from_value]) if address[1]]
    name, address = addresses[0] if addresses else parseaddr(from_value)
    parsed.sender = address.strip().lower() if "@" in address else ""
    parsed.sender_name = name.strip()
    parsed.subject = header_text(message, "Subject")[:255]
    ids = message_ids(header_text(message, "Message-ID"))
    parsed.message_id = ids[0] if ids and len(ids[0]) <= 255 else ""
    parsed.in_reply_to = message_ids(header_text(message, "In-Reply-To"))
    parsed.references = message_ids(header_text(message, "References"))
    _read_body(parsed)
    return parsed


def _read_body(parsed: ParsedMail) -> None:
    max_bytes = int(getattr(settings, "MAILING_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))
    max_count = int(getattr(settings, "MAILING_ATTACHMENT_MAX_COUNT", 10))
    plain: str | None = None
    html: str | None = None
    for part in _walk_leaves(parsed.message):
        if part.get_content_type() in {"message/delivery-status", "message/rfc822"}:
            continue
        if _is_attachment(part):
            _take_attachment(parsed, part, max_bytes=max_bytes, max_count=max_count)
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = decode_text(part)
        elif content_type == "text/html" and html is None:
            html = decode_text(part)
    if plain is not None and plain.strip():
        parsed.text = plain
    elif html is not None:
        parsed.text = html_to_markdown(html)
        parsed.from_html = True
    else:
        parsed.text = plain or ""
    parsed.text = parsed.text.replace("\x00", "")


def _take_attachment(parsed: ParsedMail, part: Message, *, max_bytes: int, max_count: int) -> None:
    try:
        raw_name = part.get_filename() or ""
    except Exception:
        raw_name = ""
    filename = _clean_filename(raw_name)
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes):
        content = b""
    if len(parsed.attachments) >= max_count:
        parsed.refused.append(RefusedAttachment(filename, "count"))
        return
    if len(content) > max_bytes:
        parsed.refused.append(RefusedAttachment(filename, "size"))
        return
    content_type = _attachment_type(filename, part.get_content_type(), content)
    if content_type is None:
        parsed.refused.append(RefusedAttachment(filename, "type"))
        return
    parsed.attachments.append(FoundAttachment(filename, content_type, content))


# --- Machines writing -------------------------------------------------------------------------


def null_sender(envelope_from: str | None) -> bool:
    """MAIL FROM:<>, used by bounces and auto-replies (None: the envelope is not known)."""
    return envelope_from is not None and not envelope_from.strip("<> ")


def automatic_reason(parsed: ParsedMail, *, envelope_from: str | None) -> str:
    """Why this email was written by a machine (RFC 3834 and the usual habits), or ""."""
    auto_submitted = parsed.header("Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    precedence = parsed.header("Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated", "X-AutoReply-From"):
        if parsed.header(name):
            return f"{name} header"
    if parsed.header("X-Auto-Response-Suppress") and parsed.header(
        "X-MS-Exchange-Inbox-Rules-Loop"
    ):
        return "Exchange rule loop"
    if null_sender(envelope_from):
        return "empty envelope sender"
    if _AUTOMATIC_SUBJECT.match(parsed.subject):
        return f"subject “{parsed.subject[:60]}”"
    return ""


def authenticated_sender(parsed: ParsedMail) -> bool:
    """Whether our own mail server says the From domain is authenticated (DMARC or an aligned
    DKIM pass), in an Authentication-Results header it added (RFC 8601). Only a header naming
    MAILING_AUTHSERV_ID is believed: anyone can write such a header into their email."""
    authserv_id = str(getattr(settings, "MAILING_AUTHSERV_ID", "") or "").strip().lower()
    if not authserv_id or "@" not in parsed.sender:
        return False
    domain = parsed.sender.rsplit("@", 1)[1]
    for value in parsed.all_headers("Authentication-Results"):
        head, _semicolon, results = value.partition(";")
        words = head.split()
        if not words or words[0].lower() != authserv_id:
            continue
        text = " ".join(results.lower().split())
        if re.search(rf"\bdmarc=pass\b[^;]*header\.from={re.escape(domain)}\b", text):
            return True
        if re.search(rf"\bdkim=pass\b[^;]*header\.(d|i)=@?{re.escape(domain)}\b", text):
            return True
    return False
