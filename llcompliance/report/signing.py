"""SSH signatures (SSHSIG) for readiness reports: keys, signing, allowed_signers, verification."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from llcompliance.adapters.fsutil import read_capped, write_atomic
from llcompliance.errors import SignatureError, UsageError

NAMESPACE = "readiness-report@llcompliance"
PRIVATE_KEY_NAME = "readiness_ed25519"
PUBLIC_KEY_NAME = PRIVATE_KEY_NAME + ".pub"
ALLOWED_SIGNERS_NAME = "allowed_signers"
PASSPHRASE_ENV = "LLCOMPLIANCE_SIGNING_KEY_PASSPHRASE"
# Read no further than this: a line per trusted key is under 200 bytes, an Ed25519 signature 300.
MAX_ALLOWED_SIGNERS_BYTES = 1024 * 1024
MAX_SIGNATURE_BYTES = 64 * 1024

_MAGIC = b"SSHSIG"
_VERSION = 1
_KEY_TYPE = "ssh-ed25519"
_HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
# ssh-keygen 9.x wraps at 70 columns; matching it makes our .sig byte-identical to its output.
_WRAP = 70
_BASE64_RE = re.compile(r"[A-Za-z0-9+/]*={0,2}")
# Key types OpenSSH knows all start like this; anything else after the principals is options.
_KEY_TYPE_RE = re.compile(r"(?:ssh|ecdsa|sk)-[A-Za-z0-9@._+-]+")
_OPTION_NAMES = ("cert-authority", "namespaces", "valid-after", "valid-before")
_KEYGEN_HINT = (
    "make one with `llcompliance keygen --out DIR --principal NAME` (or `ssh-keygen -t ed25519`)"
)
_FRESH_COPY = "ask the signer for a fresh copy of the .sig file made with the same report"


@dataclass(frozen=True)
class KeyFiles:
    """The files written by generate_keypair and the key's fingerprint."""

    private: Path
    public: Path
    allowed_signers: Path
    fingerprint: str


@dataclass(frozen=True)
class AllowedSigner:
    """One Ed25519 line of an allowed_signers file."""

    principals: tuple[str, ...]
    namespaces: tuple[str, ...] | None
    valid_after: datetime | None
    valid_before: datetime | None
    public_key: bytes
    line: int
    cert_authority: bool


@dataclass(frozen=True)
class Verified:
    """Who signed, with which key, for which namespace."""

    principal: str
    fingerprint: str
    namespace: str


# --- SSH wire format -------------------------------------------------------------------------


def _string(data: bytes) -> bytes:
    """SSH wire `string`: uint32 big-endian length, then the bytes."""
    return struct.pack(">I", len(data)) + data


def _openssh_public(public_key_raw: bytes) -> bytes:
    """`ssh-ed25519 AAAA…` for a raw 32-byte Ed25519 key, as cryptography writes it."""
    return Ed25519PublicKey.from_public_bytes(public_key_raw).public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )


def _public_blob(public_key_raw: bytes) -> bytes:
    """The SSH wire public key blob (what fingerprints hash and SSHSIG embeds)."""
    return base64.b64decode(_openssh_public(public_key_raw).split()[1])


class _Reader:
    """Reads SSH wire fields, raising SignatureError when the data runs out."""

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._pos = 0
        self._what = what

    def _damaged(self, detail: str) -> SignatureError:
        return SignatureError(f"the signature is damaged ({self._what} {detail}); {_FRESH_COPY}")

    def take(self, size: int) -> bytes:
        if self._pos + size > len(self._data):
            raise self._damaged("is truncated")
        chunk = self._data[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def uint32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        return self.take(self.uint32())

    def text(self) -> str:
        try:
            return self.string().decode("utf-8")
        except UnicodeDecodeError:
            raise self._damaged("has a field that is not text") from None

    def end(self) -> None:
        if self._pos != len(self._data):
            raise self._damaged("has unexpected bytes at the end")


def fingerprint(public_key_raw: bytes) -> str:
    """The key's SHA256 fingerprint exactly as `ssh-keygen -l` prints it."""
    if len(public_key_raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    digest = hashlib.sha256(_public_blob(public_key_raw)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def public_key_raw(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public half of an Ed25519 private key."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_line(public_key_raw: bytes, comment: str = "") -> str:
    """An OpenSSH public key line: `ssh-ed25519 AAAA... comment` (no newline)."""
    return f"{_openssh_public(public_key_raw).decode('ascii')} {comment}".rstrip(" ")


def allowed_signers_line(principal: str, public_key_raw: bytes, comment: str = "") -> str:
    """An allowed_signers line limiting the key to the readiness-report namespace (no newline)."""
    _check_principal(principal)
    return f'{principal} namespaces="{NAMESPACE}" {public_key_line(public_key_raw, comment)}'


# --- keys ------------------------------------------------------------------------------------


def _key_kind(key: object) -> str:
    """A person-readable name for a non-Ed25519 key."""
    kinds: tuple[tuple[type, str], ...] = (
        (rsa.RSAPrivateKey, "an RSA"),
        (ec.EllipticCurvePrivateKey, "an ECDSA"),
        (dsa.DSAPrivateKey, "a DSA"),
        (ed448.Ed448PrivateKey, "an Ed448"),
    )
    for cls, name in kinds:
        if isinstance(key, cls):
            return name
    return "an unsupported"


def load_private_key(data: bytes, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from OpenSSH or PEM PKCS#8 text, decrypting it if needed."""
    # Keys pasted into CI secrets often gain CRLF line ends or lose the final newline.
    text = data.replace(b"\r\n", b"\n").strip() + b"\n"
    loader: Callable[..., object]
    if text.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----"):
        loader = serialization.load_ssh_private_key
    elif text.startswith(b"-----BEGIN") and b"PRIVATE KEY-----" in text.split(b"\n", 1)[0]:
        loader = serialization.load_pem_private_key
    elif text.startswith((b"ssh-", b"ecdsa-", b"sk-", b"-----BEGIN PUBLIC KEY")):
        raise UsageError(
            "this is a public key; signing needs the private key file "
            f"(`{PRIVATE_KEY_NAME}`, not `{PUBLIC_KEY_NAME}`)"
        )
    else:
        raise UsageError(
            "this is not a private key: expected text starting with "
            f"'-----BEGIN OPENSSH PRIVATE KEY-----'; {_KEYGEN_HINT}"
        )
    key = _call_loader(loader, text, passphrase)
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(
            f"this is {_key_kind(key)} key, but readiness reports are signed with an Ed25519 key; "
            + _KEYGEN_HINT
        )
    return key


def _call_loader(loader: Callable[..., object], text: bytes, passphrase: bytes | None) -> object:
    """Run a cryptography key loader, turning its exceptions into plain-English UsageErrors."""
    try:
        return loader(text, password=passphrase)
    except TypeError:
        # cryptography raises TypeError for "encrypted but no password" and the reverse.
        if passphrase is None:
            raise UsageError(
                "the signing key is protected by a passphrase; "
                f"set {PASSPHRASE_ENV} to the passphrase and run the command again"
            ) from None
        # A passphrase left set for an unencrypted key is harmless: load the key without it.
        return _call_loader(loader, text, None)
    except ValueError:
        if passphrase is not None:
            raise UsageError(
                "could not decrypt the signing key: the passphrase is wrong or the key file "
                f"is damaged; check {PASSPHRASE_ENV}"
            ) from None
        raise UsageError(
            "the signing key file is damaged or incomplete; copy it again in full "
            f"(including the BEGIN and END lines), or {_KEYGEN_HINT}"
        ) from None
    except UnsupportedAlgorithm:
        raise UsageError(
            "the signing key uses a key type or cipher this tool cannot read; "
            f"readiness reports need a plain Ed25519 key: {_KEYGEN_HINT}"
        ) from None


def read_private_key(path: Path, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Read and load an Ed25519 private key file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the signing key {path}: {exc.strerror or exc}") from None
    try:
        return load_private_key(data, passphrase)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from None


# --- key generation --------------------------------------------------------------------------


def _check_principal(principal: str) -> None:
    """Refuse principals that allowed_signers would read as a list, a pattern or a comment."""
    bad = set(',"*?!') | {" ", "\t", "\n", "\r"}
    if not principal or principal.startswith("#") or any(ch in bad for ch in principal):
        raise UsageError(
            f"principal {principal!r} cannot be used: give a single name such as "
            "ci@example.org, without spaces, commas, quotes or the characters * ? !"
        )


def _write_exclusive(path: Path, data: bytes, mode: int) -> None:
    """Create path with mode, failing if it exists; other users never see it readable."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), mode)
    with os.fdopen(fd, "wb") as handle:
        if hasattr(os, "fchmod"):
            # The umask can only remove bits; make the mode exactly what ssh-keygen expects.
            os.fchmod(handle.fileno(), mode)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def generate_keypair(out_dir: Path, principal: str, *, comment: str | None = None) -> KeyFiles:
    """Write a new Ed25519 key pair and its allowed_signers line into out_dir, never overwriting."""
    _check_principal(principal)
    comment = principal if comment is None else comment
    if "\n" in comment or "\r" in comment:
        raise UsageError("the key comment must be a single line")
    files = KeyFiles(
        private=out_dir / PRIVATE_KEY_NAME,
        public=out_dir / PUBLIC_KEY_NAME,
        allowed_signers=out_dir / ALLOWED_SIGNERS_NAME,
        fingerprint="",
    )
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UsageError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    paths = (files.private, files.public, files.allowed_signers)
    existing = [p.name for p in paths if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError(
            f"{', '.join(existing)} already exist(s) in {out_dir}; refusing to overwrite a signing "
            "key. Choose another --out directory, or move the old files away first"
        )
    key = Ed25519PrivateKey.generate()
    raw = public_key_raw(key)
    private_text = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    created: list[Path] = []
    try:
        # The private key goes first: O_EXCL also catches a key written by someone else meanwhile.
        _write_exclusive(files.private, private_text, 0o600)
        created.append(files.private)
        write_atomic(files.public, (public_key_line(raw, comment) + "\n").encode(), mode=0o644)
        created.append(files.public)
        signers = allowed_signers_line(principal, raw, comment) + "\n"
        write_atomic(files.allowed_signers, signers.encode(), mode=0o644)
    except OSError as exc:
        # Leave nothing half-made behind, so running the command again just works.
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, FileExistsError):
            raise UsageError(
                f"{exc.filename} appeared while writing; refusing to overwrite it"
            ) from None
        raise UsageError(
            f"cannot write the key files in {out_dir}: {exc.strerror or exc}"
        ) from None
    return KeyFiles(files.private, files.public, files.allowed_signers, fingerprint(raw))


# --- signing ---------------------------------------------------------------------------------


def _signed_data(message: bytes, namespace: str, hash_alg: str) -> bytes:
    """The SSHSIG blob that the Ed25519 key actually signs."""
    digest = _HASHES[hash_alg](message).digest()
    return (
        _MAGIC
        + _string(namespace.encode())
        + _string(b"")
        + _string(hash_alg.encode())
        + _string(digest)
    )


def _armor(blob: bytes) -> str:
    """PEM-style armor as ssh-keygen writes it, base64 wrapped at 70 columns."""
    encoded = base64.b64encode(blob).decode("ascii")
    lines = [encoded[i : i + _WRAP] for i in range(0, len(encoded), _WRAP)]
    return "\n".join([_BEGIN, *lines, _END]) + "\n"


def sign(
    message: bytes, key: Ed25519PrivateKey, *, namespace: str = NAMESPACE, hash_alg: str = "sha512"
) -> str:
    """Sign message as `ssh-keygen -Y sign -n NAMESPACE` would, returning the armored text."""
    if not namespace:
        raise ValueError("the namespace must not be empty")
    if hash_alg not in _HASHES:
        raise ValueError(f"hash_alg must be one of {sorted(_HASHES)}")
    signature = key.sign(_signed_data(message, namespace, hash_alg))
    blob = (
        _MAGIC
        + struct.pack(">I", _VERSION)
        + _string(_public_blob(public_key_raw(key)))
        + _string(namespace.encode())
        + _string(b"")
        + _string(hash_alg.encode())
        + _string(_string(_KEY_TYPE.encode()) + _string(signature))
    )
    return _armor(blob)


# --- allowed_signers -------------------------------------------------------------------------


def _match_pattern(name: str, pattern: str) -> bool:
    """OpenSSH glob match: * is any run of characters, ? is one character, case-sensitive."""
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, name, flags=re.DOTALL) is not None


def _match_pattern_list(name: str, patterns: Sequence[str]) -> bool:
    """Like OpenSSH match_pattern_list: a match on any !negated pattern wins over positives."""
    matched = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if _match_pattern(name, pattern[1:]):
                return False
        elif _match_pattern(name, pattern):
            matched = True
    return matched


class _LineError(Exception):
    """A malformed allowed_signers line; the caller adds the source and line number."""


def _take_principals(line: str) -> tuple[str, str]:
    """Split off the principals field, which may be "double quoted"."""
    if line.startswith('"'):
        end = line.find('"', 1)
        if end < 0:
            raise _LineError("the quoted principals have no closing quote")
        return line[1:end], line[end + 1 :]
    head = re.split(r"[ \t]", line, maxsplit=1)[0]
    return head, line[len(head) :]


def _split_options(text: str) -> tuple[list[str], str]:
    """Split the comma-separated options field (quotes respected) from the rest of the line."""
    options: list[str] = []
    current: list[str] = []
    in_quote = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_quote and ch == "\\" and i + 1 < len(text) and text[i + 1] == '"':
            current.append('\\"')
            i += 2
            continue
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in " \t":
            break
        elif not in_quote and ch == ",":
            options.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    if in_quote:
        raise _LineError("an option value has no closing quote")
    options.append("".join(current))
    return options, text[i:]


def _dequote(name: str, value: str) -> str:
    """The text inside an option's mandatory double quotes, as OpenSSH requires."""
    if len(value) < 2 or not value.startswith('"') or not value.endswith('"'):
        raise _LineError(f'{name} needs a value in double quotes, e.g. {name}="..."')
    inner = value[1:-1]
    if re.search(r'(?<!\\)"', inner):
        raise _LineError(f"{name} has text after its closing quote")
    return inner.replace('\\"', '"')


def _parse_time(name: str, value: str) -> datetime:
    """Parse YYYYMMDD[HHMM[SS]][Z]; without Z it is local time, as in ssh-keygen."""
    utc = value[-1:] in ("Z", "z")
    digits = value[:-1] if utc else value
    if not digits.isdigit() or len(digits) not in (8, 12, 14):
        raise _LineError(f"{name} must be YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, not {value!r}")
    padded = digits.ljust(14, "0")
    year, month, day, hour, minute, second = (
        int(padded[a:b]) for a, b in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))
    )
    try:
        naive = datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise _LineError(f"{name} is not a real date and time: {value!r}") from None
    return naive.replace(tzinfo=timezone.utc) if utc else naive.astimezone()


@dataclass
class _Options:
    cert_authority: bool = False
    namespaces: tuple[str, ...] | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None


def _parse_options(options: list[str]) -> _Options:
    """Interpret cert-authority, namespaces=, valid-after= and valid-before=."""
    result = _Options()
    seen: set[str] = set()
    for option in options:
        name, eq, value = option.partition("=")
        name = name.lower()  # OpenSSH matches option names case-insensitively
        if name not in _OPTION_NAMES:
            raise _LineError(f"unknown option {option!r} (known: {', '.join(_OPTION_NAMES)})")
        if name in seen:
            raise _LineError(f"option {name} is given twice")
        seen.add(name)
        if name == "cert-authority":
            if eq:
                raise _LineError("cert-authority takes no value")
            result.cert_authority = True
            continue
        if not eq:
            raise _LineError(f'{name} needs a value, e.g. {name}="..."')
        inner = _dequote(name, value)
        if name == "namespaces":
            result.namespaces = tuple(inner.split(","))
        elif name == "valid-after":
            result.valid_after = _parse_time(name, inner)
        else:
            result.valid_before = _parse_time(name, inner)
    if result.valid_after and result.valid_before and result.valid_before <= result.valid_after:
        raise _LineError("valid-before is not later than valid-after")
    return result


def _decode_key(encoded: str) -> bytes:
    """The raw 32 bytes of a base64 ssh-ed25519 public key blob."""
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _LineError("the ssh-ed25519 key is not valid base64; copy the key again") from None
    try:
        key = serialization.load_ssh_public_key(f"{_KEY_TYPE} {encoded}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm):
        # cryptography says only "invalid": tell a key of another type from a damaged one.
        if not blob.startswith(_string(_KEY_TYPE.encode())):
            raise _LineError("the key data is not an ssh-ed25519 key; copy the key again") from None
        raise _LineError("the ssh-ed25519 key data is damaged; copy the key again") from None
    if not isinstance(key, Ed25519PublicKey):
        raise _LineError("the key data is not an ssh-ed25519 key; copy the key again")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _parse_line(line: str, number: int) -> AllowedSigner | None:
    """One allowed_signers line, or None for comments, blanks and non-Ed25519 keys."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    principals, rest = _take_principals(line)
    if _KEY_TYPE_RE.fullmatch(principals):
        raise _LineError(
            "the line starts with a key type; put the principal first, "
            "e.g. `ci@example.org ssh-ed25519 AAAA...`"
        )
    if not principals:
        raise _LineError("the principals field is empty")
    rest = rest.lstrip()
    if not rest:
        raise _LineError("there is no key after the principals")
    options = _Options()
    first = rest.split(None, 1)[0]
    if not _KEY_TYPE_RE.fullmatch(first):
        option_list, rest = _split_options(rest)
        options = _parse_options(option_list)
        rest = rest.lstrip()
    fields = rest.split(None, 2)
    if not fields or not _KEY_TYPE_RE.fullmatch(fields[0]):
        raise _LineError("expected a key such as `ssh-ed25519 AAAA...` after the principals")
    if len(fields) < 2:
        raise _LineError(f"the {fields[0]} key has no key data after it")
    if fields[0] != _KEY_TYPE:
        return None  # other key types are allowed in the file; they simply never match
    return AllowedSigner(
        principals=tuple(principals.split(",")),
        namespaces=options.namespaces,
        valid_after=options.valid_after,
        valid_before=options.valid_before,
        public_key=_decode_key(fields[1]),
        line=number,
        cert_authority=options.cert_authority,
    )


def parse_allowed_signers(text: str, *, source: str = "allowed_signers") -> list[AllowedSigner]:
    """Parse OpenSSH allowed_signers text, keeping its Ed25519 lines."""
    signers: list[AllowedSigner] = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            signer = _parse_line(line, number)
        except _LineError as exc:
            raise UsageError(f"{source}:{number}: {exc}") from None
        if signer is not None:
            signers.append(signer)
    return signers


def read_allowed_signers(path: Path) -> list[AllowedSigner]:
    """Read and parse an allowed_signers file."""
    try:
        text = read_capped(
            path,
            MAX_ALLOWED_SIGNERS_BYTES,
            what="far beyond any allowed signers file: point at the file of keys you trust",
        ).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise UsageError(f"cannot read allowed signers file {path}: {detail}") from None
    return parse_allowed_signers(text, source=str(path))


# --- verification ----------------------------------------------------------------------------


def _dearmor(signature_text: str) -> bytes:
    """The binary blob inside the armor; lenient on width and line ends, strict on BEGIN/END."""
    lines = [line.rstrip() for line in signature_text.strip().splitlines()]
    if not lines or lines[0] != _BEGIN:
        raise SignatureError(
            f"this is not an SSH signature: the first line must be {_BEGIN}; {_FRESH_COPY}"
        )
    if len(lines) < 2 or lines[-1] != _END:
        raise SignatureError(
            f"the signature is incomplete: the last line must be {_END}; {_FRESH_COPY}"
        )
    body = "".join(line.strip() for line in lines[1:-1])
    if not body:
        raise SignatureError(
            f"the signature is empty between its BEGIN and END lines; {_FRESH_COPY}"
        )
    if not _BASE64_RE.fullmatch(body):
        raise SignatureError(
            f"the signature is damaged: the text between BEGIN and END is not base64; {_FRESH_COPY}"
        )
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(
            f"the signature is damaged: its base64 text is cut short; {_FRESH_COPY}"
        ) from None


@dataclass(frozen=True)
class _Parsed:
    public_key: bytes
    namespace: str
    hash_alg: str
    signature: bytes


def _parse_blob(blob: bytes) -> _Parsed:
    """Unpack an SSHSIG blob, checking magic, version and key and signature types."""
    reader = _Reader(blob, "signature data")
    if reader.take(len(_MAGIC)) != _MAGIC:
        raise SignatureError(
            f"this is not an SSH signature (the SSHSIG marker is missing); {_FRESH_COPY}"
        )
    version = reader.uint32()
    if version != _VERSION:
        raise SignatureError(
            f"the signature uses SSHSIG version {version}; only version {_VERSION} is supported"
        )
    key_reader = _Reader(reader.string(), "public key")
    key_type = key_reader.text()
    if key_type != _KEY_TYPE:
        raise SignatureError(
            f"the signature was made with a {key_type!r} key; readiness reports must be signed "
            "with an Ed25519 key (ssh-ed25519)"
        )
    public_key = key_reader.string()
    key_reader.end()
    if len(public_key) != 32:
        raise SignatureError(f"the signature's public key is damaged; {_FRESH_COPY}")
    namespace = reader.text()
    reader.string()  # reserved: ignored, as ssh-keygen does (signed data always uses "")
    hash_alg = reader.text()
    sig_reader = _Reader(reader.string(), "signature value")
    reader.end()
    sig_type = sig_reader.text()
    signature = sig_reader.string()
    sig_reader.end()
    if sig_type != _KEY_TYPE or len(signature) != 64:
        raise SignatureError(f"the signature value is not an Ed25519 signature; {_FRESH_COPY}")
    return _Parsed(public_key, namespace, hash_alg, signature)


def _show_time(moment: datetime) -> str:
    """A validity boundary for messages, in UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _display_principal(signer: AllowedSigner) -> str | None:
    """The first non-negated principal on a line, as find-principals would report it."""
    return next((p for p in signer.principals if not p.startswith("!")), None)


def _check_validity(signer: AllowedSigner, at: datetime) -> str | None:
    """Why the line's valid-after/valid-before exclude `at`, or None if it is in range."""
    if signer.valid_after is not None and at < signer.valid_after:
        return (
            f"the key was not yet valid on {_show_time(at)}: allowed_signers line {signer.line} "
            f"says valid-after {_show_time(signer.valid_after)}"
        )
    if signer.valid_before is not None and at > signer.valid_before:
        return (
            f"the key expired on {_show_time(signer.valid_before)} (allowed_signers line "
            f"{signer.line}, valid-before); ask for a report signed with the current key"
        )
    return None


def _find_signer(
    key: bytes,
    allowed_signers: list[AllowedSigner],
    principal: str | None,
    namespace: str,
    at: datetime,
) -> str:
    """The principal under which allowed_signers accepts key, or SignatureError saying why not."""
    print_fp = fingerprint(key)
    lines = [s for s in allowed_signers if not s.cert_authority and s.public_key == key]
    if not lines:
        raise SignatureError(
            f"signed by a key that is not in allowed_signers ({print_fp}); if you trust this key, "
            "add its line to allowed_signers, taking the fingerprint from the signer directly, "
            "never from the pull request being assessed"
        )
    if principal is not None:
        named = [s for s in lines if _match_pattern_list(principal, s.principals)]
        if not named:
            others = ", ".join(sorted({p for s in lines for p in s.principals}))
            raise SignatureError(
                f"signed by key {print_fp} which allowed_signers lists for other principals "
                f"({others}), not {principal!r}; check the principal you asked for"
            )
    else:
        named = [s for s in lines if _display_principal(s) is not None]
        if not named:
            raise SignatureError(
                f"signed by key {print_fp}, but allowed_signers lists it only under negated "
                "principals; fix the allowed_signers line"
            )
    scoped = [
        s for s in named if s.namespaces is None or _match_pattern_list(namespace, s.namespaces)
    ]
    if not scoped:
        numbers = ", ".join(str(s.line) for s in named)
        raise SignatureError(
            f"allowed_signers line {numbers} does not allow key {print_fp} to sign for "
            f'namespace {namespace!r}; add it to that line\'s namespaces="..." option'
        )
    problems: list[str] = []
    for signer in scoped:
        problem = _check_validity(signer, at)
        if problem is None:
            found = principal if principal is not None else _display_principal(signer)
            assert found is not None  # filtered above
            return found
        problems.append(problem)
    raise SignatureError(problems[0])


def verify_signature(
    message: bytes,
    signature_text: str,
    allowed_signers: list[AllowedSigner],
    *,
    principal: str | None = None,
    namespace: str = NAMESPACE,
    at: datetime | None = None,
) -> Verified:
    """Check an SSHSIG signature over message and that allowed_signers accepts its key."""
    parsed = _parse_blob(_dearmor(signature_text))
    if parsed.namespace != namespace:
        raise SignatureError(
            f"signed for namespace {parsed.namespace!r}, expected {namespace!r}: this signature "
            "was made for a different purpose and cannot vouch for this file"
        )
    if parsed.hash_alg not in _HASHES:
        raise SignatureError(
            f"the signature uses hash {parsed.hash_alg!r}; only sha256 and sha512 are accepted"
        )
    try:
        Ed25519PublicKey.from_public_bytes(parsed.public_key).verify(
            parsed.signature, _signed_data(message, namespace, parsed.hash_alg)
        )
    except (InvalidSignature, ValueError):
        raise SignatureError(
            "the signature does not match the file: the file was changed after it was signed, "
            "or the signature belongs to a different file; do not trust this copy and ask the "
            "signer for the original"
        ) from None
    when = datetime.now(timezone.utc) if at is None else at
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # naive times are taken as UTC
    found = _find_signer(parsed.public_key, allowed_signers, principal, namespace, when)
    return Verified(
        principal=found, fingerprint=fingerprint(parsed.public_key), namespace=namespace
    )
