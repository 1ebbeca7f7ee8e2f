"""SSHSIG signing and verification, cross-checked against the real OpenSSH ssh-keygen."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from llcompliance.errors import SignatureError, UsageError
from llcompliance.report import signing

NS = signing.NAMESPACE
PRINCIPAL = "ci@example.org"
MESSAGE = b'{"as_of": "2025-06-01", "summary": {"ready": 17, "total": 23}}\n'
# A fixed key keeps property tests free of fixtures and their examples reproducible.
FIXED_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
FIXED_RAW = signing.public_key_raw(FIXED_KEY)
FIXED_SIGNERS = [
    signing.AllowedSigner((PRINCIPAL,), (NS,), None, None, FIXED_RAW, 1, cert_authority=False)
]

SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
needs_ssh_keygen = pytest.mark.skipif(
    not os.access(SSH_KEYGEN, os.X_OK),
    reason="OpenSSH ssh-keygen is not installed; install openssh-client to run the cross-checks",
)


def ssh_keygen(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Run ssh-keygen without a terminal or an agent, so it never prompts or uses agent keys."""
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "DISPLAY")}
    return subprocess.run(
        [SSH_KEYGEN, *args], input=stdin, capture_output=True, env=env, timeout=30, check=False
    )


def ssh_verify(
    tmp_path: Path, message: bytes, sig: str, signers: str, principal: str = PRINCIPAL, *extra: str
) -> subprocess.CompletedProcess[bytes]:
    """`ssh-keygen -Y verify` as an assessor would run it, from files in tmp_path."""
    (tmp_path / "check_signers").write_text(signers)
    (tmp_path / "check.sig").write_text(sig)
    args = ["-Y", "verify", "-f", str(tmp_path / "check_signers"), "-I", principal, "-n", NS]
    return ssh_keygen(*args, *extra, "-s", str(tmp_path / "check.sig"), stdin=message)


def ssh_sign(key_path: Path, message: bytes, namespace: str = NS) -> str:
    """Sign stdin to stdout: `-Y sign FILE` with an existing FILE.sig silently keeps the old one."""
    result = ssh_keygen("-Y", "sign", "-n", namespace, "-f", str(key_path), stdin=message)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def make_ssh_key(tmp_path: Path, name: str = "id_ed25519", *extra: str) -> Path:
    """A key made by ssh-keygen itself (unencrypted unless extra says otherwise)."""
    path = tmp_path / name
    args = ["-q", "-t", "ed25519", "-C", name, "-f", str(path)]
    result = ssh_keygen(*args, *(extra or ("-N", "")))
    assert result.returncode == 0, result.stderr
    return path


def signers_line(
    raw: bytes, options: str = f'namespaces="{NS}"', principals: str = PRINCIPAL
) -> str:
    """One allowed_signers line for a raw key."""
    return f"{principals} {options} {signing.public_key_line(raw, 'test')}\n".replace("  ", " ")


@pytest.fixture
def our_key(tmp_path: Path) -> tuple[Path, Ed25519PrivateKey]:
    """A key pair made by generate_keypair."""
    files = signing.generate_keypair(tmp_path / "ours", PRINCIPAL)
    return files.private, signing.read_private_key(files.private)


@pytest.fixture
def their_key(tmp_path: Path) -> tuple[Path, Ed25519PrivateKey]:
    """A key pair made by `ssh-keygen -t ed25519`."""
    if not os.access(SSH_KEYGEN, os.X_OK):
        pytest.skip("OpenSSH ssh-keygen is not installed")
    path = make_ssh_key(tmp_path)
    return path, signing.read_private_key(path)


KEY_SOURCES = ["our_key", "their_key"]


@pytest.fixture(params=KEY_SOURCES)
def any_key(request: pytest.FixtureRequest) -> tuple[Path, Ed25519PrivateKey]:
    """Each kind of key in turn."""
    value: tuple[Path, Ed25519PrivateKey] = request.getfixturevalue(request.param)
    return value


def signers_for(key: Ed25519PrivateKey, options: str = f'namespaces="{NS}"') -> str:
    """allowed_signers text listing key for PRINCIPAL."""
    return signers_line(signing.public_key_raw(key), options)


def expect_signature_error(fn: Callable[[], object], *fragments: str) -> str:
    """Assert fn raises SignatureError whose message contains every fragment."""
    with pytest.raises(SignatureError) as info:
        fn()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    return message


# --- interoperability with ssh-keygen --------------------------------------------------------


@needs_ssh_keygen
@pytest.mark.parametrize("hash_alg", ["sha512", "sha256"])
def test_our_signature_verifies_with_ssh_keygen(
    tmp_path: Path, any_key: tuple[Path, Ed25519PrivateKey], hash_alg: str
) -> None:
    """The assessor's plain-OpenSSH command accepts what we write."""
    _, key = any_key
    sig = signing.sign(MESSAGE, key, hash_alg=hash_alg)
    result = ssh_verify(tmp_path, MESSAGE, sig, signers_for(key))
    assert result.returncode == 0, result.stderr
    assert b"Good" in result.stdout


@needs_ssh_keygen
def test_ssh_keygen_signature_verifies_and_is_byte_identical(
    any_key: tuple[Path, Ed25519PrivateKey],
) -> None:
    path, key = any_key
    theirs = ssh_sign(path, MESSAGE)
    assert signing.sign(MESSAGE, key) == theirs
    signers = signing.parse_allowed_signers(signers_for(key))
    verified = signing.verify_signature(MESSAGE, theirs, signers, principal=PRINCIPAL)
    assert verified == signing.Verified(
        PRINCIPAL, signing.fingerprint(signing.public_key_raw(key)), NS
    )


@needs_ssh_keygen
def test_find_principal_matches_ssh_keygen(
    tmp_path: Path, our_key: tuple[Path, Ed25519PrivateKey]
) -> None:
    """With no principal asked for, verify names the signer as `-Y find-principals` does."""
    _, key = our_key
    sig = signing.sign(MESSAGE, key)
    text = "# signers\n" + signers_for(key)
    (tmp_path / "signers").write_text(text)
    (tmp_path / "m.sig").write_text(sig)
    found = ssh_keygen(
        "-Y", "find-principals", "-f", str(tmp_path / "signers"), "-s", str(tmp_path / "m.sig")
    )
    assert found.returncode == 0, found.stderr
    ours = signing.verify_signature(MESSAGE, sig, signing.parse_allowed_signers(text))
    assert ours.principal == found.stdout.decode().strip() == PRINCIPAL


# --- keys --------------------------------------------------------------------------------------


@needs_ssh_keygen
def test_passphrase_protected_key(tmp_path: Path) -> None:
    path = make_ssh_key(tmp_path, "protected", "-N", "secret")
    data = path.read_bytes()
    key = signing.load_private_key(data, b"secret")
    public = (tmp_path / "protected.pub").read_text().split()[1]
    assert signing.public_key_line(signing.public_key_raw(key)).split()[1] == public
    with pytest.raises(UsageError, match="LLCOMPLIANCE_SIGNING_KEY_PASSPHRASE"):
        signing.load_private_key(data)
    with pytest.raises(UsageError, match="passphrase is wrong"):
        signing.load_private_key(data, b"not the secret")


def test_passphrase_for_unencrypted_key_is_ignored(our_key: tuple[Path, Ed25519PrivateKey]) -> None:
    """A passphrase variable left set in CI must not break an unencrypted key."""
    path, key = our_key
    loaded = signing.load_private_key(path.read_bytes(), b"leftover")
    assert signing.public_key_raw(loaded) == signing.public_key_raw(key)


def test_pem_pkcs8_and_crlf_keys_load() -> None:
    pem = FIXED_KEY.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert signing.public_key_raw(signing.load_private_key(pem)) == FIXED_RAW
    openssh = FIXED_KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    pasted = openssh.replace(b"\n", b"\r\n").rstrip()
    assert signing.public_key_raw(signing.load_private_key(pasted)) == FIXED_RAW


@needs_ssh_keygen
def test_non_ed25519_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ecdsa"
    assert ssh_keygen("-q", "-t", "ecdsa", "-N", "", "-f", str(path)).returncode == 0
    with pytest.raises(UsageError, match=r"ECDSA key.*Ed25519.*llcompliance keygen"):
        signing.load_private_key(path.read_bytes())


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== x\n", "public key"),
        (b"hello\n", "not a private key"),
        (b"", "not a private key"),
        (
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
            "damaged",
        ),
    ],
)
def test_unusable_key_data(data: bytes, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        signing.load_private_key(data)


def test_unreadable_key_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the signing key"):
        signing.read_private_key(tmp_path / "missing")


@needs_ssh_keygen
def test_generate_keypair(tmp_path: Path) -> None:
    files = signing.generate_keypair(tmp_path / "keys", PRINCIPAL, comment="CI signing key")
    assert stat.S_IMODE(files.private.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
        "allowed_signers",
        "readiness_ed25519",
        "readiness_ed25519.pub",
    ]
    listed = ssh_keygen("-l", "-f", str(files.public))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.decode().split()[1] == files.fingerprint
    # ssh-keygen reads our private key file and derives the same public key.
    derived = ssh_keygen("-y", "-f", str(files.private))
    assert derived.stdout.decode().split()[:2] == files.public.read_text().split()[:2]
    line = files.allowed_signers.read_text()
    assert line.startswith(f'{PRINCIPAL} namespaces="{NS}" ssh-ed25519 AAAA')
    assert line.endswith(" CI signing key\n")
    [signer] = signing.parse_allowed_signers(line)
    assert signing.fingerprint(signer.public_key) == files.fingerprint


def test_generate_keypair_private_key_is_never_group_readable(tmp_path: Path) -> None:
    """Even with a permissive umask the key is created 0600, not chmod-ed afterwards."""
    old = os.umask(0o000)
    try:
        files = signing.generate_keypair(tmp_path, PRINCIPAL)
    finally:
        os.umask(old)
    assert stat.S_IMODE(files.private.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "existing", ["readiness_ed25519", "readiness_ed25519.pub", "allowed_signers"]
)
def test_generate_keypair_refuses_to_overwrite(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("keep me\n")
    with pytest.raises(UsageError, match=f"{existing}.*refusing to overwrite"):
        signing.generate_keypair(tmp_path, PRINCIPAL)
    assert (tmp_path / existing).read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == [existing]


@pytest.mark.parametrize("principal", ["", "a b", "a,b", "*", "!x", "#x", 'a"b'])
def test_generate_keypair_refuses_odd_principals(tmp_path: Path, principal: str) -> None:
    with pytest.raises(UsageError, match="principal"):
        signing.generate_keypair(tmp_path, principal)
    assert list(tmp_path.iterdir()) == []


def test_fingerprint_format() -> None:
    fp = signing.fingerprint(FIXED_RAW)
    assert fp.startswith("SHA256:") and len(fp) == 7 + 43 and "=" not in fp


# --- rejections --------------------------------------------------------------------------------


@pytest.fixture
def signed(our_key: tuple[Path, Ed25519PrivateKey]) -> tuple[Ed25519PrivateKey, str]:
    """Our key and its signature over MESSAGE."""
    _, key = our_key
    return key, signing.sign(MESSAGE, key)


def changed_byte(message: bytes) -> bytes:
    """MESSAGE with one byte altered."""
    return message[:10] + bytes([message[10] ^ 0x01]) + message[11:]


@needs_ssh_keygen
@pytest.mark.parametrize("tampered", [changed_byte(MESSAGE), b"a different file\n"])
def test_rejects_changed_or_different_file(
    tmp_path: Path, signed: tuple[Ed25519PrivateKey, str], tampered: bytes
) -> None:
    key, sig = signed
    signers = signers_for(key)
    expect_signature_error(
        lambda: signing.verify_signature(tampered, sig, signing.parse_allowed_signers(signers)),
        "does not match the file",
    )
    assert ssh_verify(tmp_path, tampered, sig, signers).returncode != 0


def test_rejects_key_not_in_allowed_signers(signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    others = signing.parse_allowed_signers(signers_line(FIXED_RAW))
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig, others),
        "not in allowed_signers",
        signing.fingerprint(signing.public_key_raw(key)),
    )
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig, []), "not in allowed_signers"
    )


@needs_ssh_keygen
def test_rejects_principal_mismatch(tmp_path: Path, signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    signers = signers_for(key)
    message = expect_signature_error(
        lambda: signing.verify_signature(
            MESSAGE, sig, signing.parse_allowed_signers(signers), principal="board@example.org"
        ),
        "which allowed_signers lists for other principals",
    )
    assert signing.fingerprint(signing.public_key_raw(key)) in message
    assert ssh_verify(tmp_path, MESSAGE, sig, signers, "board@example.org").returncode != 0


@needs_ssh_keygen
def test_rejects_wrong_namespace(tmp_path: Path, our_key: tuple[Path, Ed25519PrivateKey]) -> None:
    path, key = our_key
    sig = ssh_sign(path, MESSAGE, namespace="git")
    signers = signers_for(key, options="")
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig, signing.parse_allowed_signers(signers)),
        f"signed for namespace 'git', expected '{NS}'",
    )
    assert ssh_verify(tmp_path, MESSAGE, sig, signers).returncode != 0


def test_rejects_namespace_not_allowed_by_line(signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    signers = signing.parse_allowed_signers(signers_for(key, options='namespaces="git,file"'))
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig, signers),
        "line 1 does not allow",
        "namespaces",
    )


@needs_ssh_keygen
@pytest.mark.parametrize(
    ("option", "fragment", "inside"),
    [
        ('valid-before="20000101Z"', "the key expired on 2000-01-01 00:00:00 UTC", "19991231"),
        ('valid-after="20990101Z"', "the key was not yet valid", "20990102"),
    ],
)
def test_rejects_line_outside_validity(
    tmp_path: Path, signed: tuple[Ed25519PrivateKey, str], option: str, fragment: str, inside: str
) -> None:
    """Expired and not-yet-valid lines fail now, in ours and in ssh-keygen, but pass in-window."""
    key, sig = signed
    signers = signers_for(key, options=f'namespaces="{NS}",{option}')
    parsed = signing.parse_allowed_signers(signers)
    expect_signature_error(lambda: signing.verify_signature(MESSAGE, sig, parsed), fragment)
    assert ssh_verify(tmp_path, MESSAGE, sig, signers).returncode != 0
    at = datetime.strptime(inside, "%Y%m%d").replace(hour=12, tzinfo=timezone.utc)
    assert signing.verify_signature(MESSAGE, sig, parsed, at=at).principal == PRINCIPAL
    historic = ssh_verify(tmp_path, MESSAGE, sig, signers, PRINCIPAL, f"-Overify-time={inside}")
    assert historic.returncode == 0, historic.stderr


def test_rejects_truncated_signature(signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    signers = signing.parse_allowed_signers(signers_for(key))
    lines = sig.splitlines()
    cut = "\n".join([*lines[:2], lines[-1]]) + "\n"  # lost the middle of the base64
    expect_signature_error(lambda: signing.verify_signature(MESSAGE, cut, signers), "damaged")
    no_end = "\n".join(lines[:-1]) + "\n"
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, no_end, signers), "END SSH SIGNATURE"
    )
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig[:40], signers), "incomplete"
    )


def test_rejects_garbage_base64(signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    signers = signing.parse_allowed_signers(signers_for(key))
    lines = sig.splitlines()
    lines[2] = "this is not *base64* at all!"
    garbled = "\n".join(lines) + "\n"
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, garbled, signers), "not base64"
    )


def test_rejects_bad_armor_lines(signed: tuple[Ed25519PrivateKey, str]) -> None:
    key, sig = signed
    signers = signing.parse_allowed_signers(signers_for(key))
    for bad in (
        sig.replace("BEGIN SSH SIGNATURE", "BEGIN PGP SIGNATURE"),
        "junk\n" + sig,
        sig + "trailing text\n",
        "",
    ):
        with pytest.raises(SignatureError):
            signing.verify_signature(MESSAGE, bad, signers)


def test_rearmored_signature_is_accepted(signed: tuple[Ed25519PrivateKey, str]) -> None:
    """Other line widths and CRLF line ends (a Windows checkout) still verify."""
    key, sig = signed
    signers = signing.parse_allowed_signers(signers_for(key))
    body = "".join(sig.splitlines()[1:-1])
    rewrapped = [body[i : i + 64] for i in range(0, len(body), 64)]
    text = "\r\n".join(["-----BEGIN SSH SIGNATURE-----", *rewrapped, "-----END SSH SIGNATURE-----"])
    assert signing.verify_signature(MESSAGE, text + "\r\n", signers).principal == PRINCIPAL


def test_rejects_signature_with_swapped_key(signed: tuple[Ed25519PrivateKey, str]) -> None:
    """A re-armored blob claiming another listed key fails the signature check."""
    key, sig = signed
    blob = base64.b64decode("".join(sig.splitlines()[1:-1]))
    swapped = blob.replace(signing.public_key_raw(key), FIXED_RAW)
    text = signing._armor(swapped)
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, text, FIXED_SIGNERS), "does not match the file"
    )


# --- allowed_signers ---------------------------------------------------------------------------


def test_parse_allowed_signers_options_and_skips() -> None:
    key_line = signing.public_key_line(FIXED_RAW, "a comment")
    text = (
        "# who may sign readiness reports\n"
        "\n"
        f'ci@example.org,*@board.example.org namespaces="{NS},git",valid-after="20240101",'
        f'VALID-BEFORE="20300101120000Z" {key_line}\n'
        f"ca@example.org cert-authority {key_line}\n"
        "old@example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== rsa key\n"
        f'"quoted name" {key_line}\n'
    )
    first, ca, quoted = signing.parse_allowed_signers(text)
    assert first.principals == ("ci@example.org", "*@board.example.org")
    assert first.namespaces == (NS, "git")
    assert first.valid_after is not None and first.valid_after.year == 2024
    assert first.valid_before == datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
    assert first.line == 3 and first.public_key == FIXED_RAW and not first.cert_authority
    assert ca.cert_authority and ca.line == 4
    assert quoted.principals == ("quoted name",) and quoted.namespaces is None


def test_principal_patterns() -> None:
    sig = signing.sign(MESSAGE, FIXED_KEY)
    signers = signing.parse_allowed_signers(
        signers_line(FIXED_RAW, principals="!intern@board.example.org,*@board.example.org")
    )
    assert signing.verify_signature(
        MESSAGE, sig, signers, principal="chair@board.example.org"
    ).principal == ("chair@board.example.org")
    for who in ("intern@board.example.org", "chair@board.example.org.evil"):
        with pytest.raises(SignatureError, match="other principals"):
            signing.verify_signature(MESSAGE, sig, signers, principal=who)
    assert signing.verify_signature(MESSAGE, sig, signers).principal == "*@board.example.org"


def test_cert_authority_line_never_matches_a_plain_key() -> None:
    sig = signing.sign(MESSAGE, FIXED_KEY)
    signers = signing.parse_allowed_signers(signers_line(FIXED_RAW, options="cert-authority"))
    expect_signature_error(
        lambda: signing.verify_signature(MESSAGE, sig, signers), "not in allowed_signers"
    )


def test_first_valid_line_wins() -> None:
    """An expired line for a key does not hide a later, current line for it."""
    sig = signing.sign(MESSAGE, FIXED_KEY)
    text = signers_line(FIXED_RAW, 'valid-before="20000101Z"', "old@example.org") + signers_line(
        FIXED_RAW
    )
    assert (
        signing.verify_signature(MESSAGE, sig, signing.parse_allowed_signers(text)).principal
        == PRINCIPAL
    )


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("ci@example.org", "no key"),
        (signing.public_key_line(FIXED_RAW), "put the principal first"),
        ("ci@example.org nonsense=1 ssh-ed25519 AAAA", "unknown option"),
        ("ci@example.org namespaces=git ssh-ed25519 AAAA", "double quotes"),
        ('ci@example.org namespaces="git ssh-ed25519 AAAA', "closing quote"),
        ('ci@example.org valid-after="2024" ssh-ed25519 AAAA', "YYYYMMDD"),
        ('ci@example.org valid-after="20241301" ssh-ed25519 AAAA', "not a real date"),
        ('ci@example.org valid-after="20250101",valid-before="20240101" ssh-ed25519 AAAA', "later"),
        ("ci@example.org cert-authority,cert-authority ssh-ed25519 AAAA", "twice"),
        ("ci@example.org ssh-ed25519", "no key data"),
        ("ci@example.org ssh-ed25519 !!!!", "not valid base64"),
        ("ci@example.org ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ==", "not an ssh-ed25519 key"),
        ("ci@example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAuQ", "damaged"),
        ('"ci@example.org ssh-ed25519 AAAA', "closing quote"),
    ],
)
def test_parse_allowed_signers_rejects_malformed_line(line: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        signing.parse_allowed_signers(f"# header\n{line}\n", source=".llcompliance/allowed_signers")
    assert str(info.value).startswith(".llcompliance/allowed_signers:2: ")
    assert fragment in str(info.value)


# --- properties --------------------------------------------------------------------------------


@given(st.binary(max_size=4096), st.sampled_from(["sha256", "sha512"]))
def test_round_trip(message: bytes, hash_alg: str) -> None:
    sig = signing.sign(message, FIXED_KEY, hash_alg=hash_alg)
    assert sig.endswith("-----END SSH SIGNATURE-----\n")
    assert all(len(line) <= 70 for line in sig.splitlines())
    verified = signing.verify_signature(message, sig, FIXED_SIGNERS, principal=PRINCIPAL)
    assert verified.fingerprint == signing.fingerprint(FIXED_RAW)


@given(st.text())
def test_verify_arbitrary_text_raises_only_signature_error(text: str) -> None:
    with pytest.raises(SignatureError):
        signing.verify_signature(MESSAGE, text, FIXED_SIGNERS)


@given(st.text())
def test_verify_arbitrary_armored_text_raises_only_signature_error(body: str) -> None:
    text = f"-----BEGIN SSH SIGNATURE-----\n{body}\n-----END SSH SIGNATURE-----\n"
    with pytest.raises(SignatureError):
        signing.verify_signature(MESSAGE, text, FIXED_SIGNERS)


@given(st.binary(max_size=512))
def test_verify_arbitrary_armored_bytes_raises_only_signature_error(blob: bytes) -> None:
    with pytest.raises(SignatureError):
        signing.verify_signature(MESSAGE, signing._armor(blob), FIXED_SIGNERS)


@given(st.data())
def test_verify_mutated_signature_raises_only_signature_error(data: st.DataObject) -> None:
    """Any truncation or single-byte change of a good blob is refused cleanly."""
    sig = signing.sign(MESSAGE, FIXED_KEY)
    blob = bytearray(base64.b64decode("".join(sig.splitlines()[1:-1])))
    if data.draw(st.booleans()):
        blob = blob[: data.draw(st.integers(0, len(blob) - 1))]
    else:
        index = data.draw(st.integers(0, len(blob) - 1))
        blob[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(SignatureError):
        signing.verify_signature(MESSAGE, signing._armor(bytes(blob)), FIXED_SIGNERS)
