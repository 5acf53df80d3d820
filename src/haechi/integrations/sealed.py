"""Passphrase encryption of a backup as a stream: scrypt for the key, AES-256-GCM per chunk.

Layout: ``MAGIC`` · 16-byte salt · 8-byte nonce prefix · chunks. Each chunk is a 4-byte
big-endian length and the AES-GCM ciphertext (with its tag) of at most ``CHUNK`` bytes;
its nonce is the prefix and the chunk's number, and its associated data says whether it
is the last chunk. So memory stays at one chunk, a changed byte fails that chunk's tag,
reordered chunks fail their nonce, and a cut-off file lacks its final chunk — each is
refused before anything is restored from it.
"""

from __future__ import annotations

import os
import struct
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HAECHI-SEALED/1\n"
CHUNK = 1 << 20
#: scrypt cost (2^15, r=8: ~32 MiB and a fraction of a second, as the scrypt paper advises for files).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1


class SealError(ValueError):
    """The sealed file is not intact or the passphrase is wrong (the two cannot be told apart)."""


def derive_key(passphrase: bytes, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase)


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def _aad(final: bool) -> bytes:
    return b"final" if final else b"more"


class SealedWriter:
    """A write-only binary stream that encrypts what is written to ``out``; ``close()`` seals it."""

    def __init__(self, out: IO[bytes], passphrase: bytes) -> None:
        salt, self._prefix = os.urandom(16), os.urandom(8)
        self._aes = AESGCM(derive_key(passphrase, salt))
        self._out, self._buffer, self._number, self.closed = out, bytearray(), 0, False
        out.write(MAGIC + salt + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep one chunk back: the last one is marked final
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def _emit(self, plain: bytes, final: bool) -> None:
        sealed = self._aes.encrypt(_nonce(self._prefix, self._number), plain, _aad(final))
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._out.flush()
            self.closed = True


class SealedReader:
    """A read-only binary stream giving back the plain bytes; raises :class:`SealError` on any damage."""

    def __init__(self, source: IO[bytes], passphrase: bytes) -> None:
        head = source.read(len(MAGIC) + 24)
        if len(head) < len(MAGIC) + 24 or not head.startswith(MAGIC):
            raise SealError("not a sealed Haechi backup (header missing)")
        salt, self._prefix = head[len(MAGIC):len(MAGIC) + 16], head[len(MAGIC) + 16:]
        self._aes = AESGCM(derive_key(passphrase, salt))
        self._source, self._buffer, self._number, self._done = source, b"", 0, False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._next_chunk()
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _next_chunk(self) -> None:
        length = self._source.read(4)
        if len(length) < 4:
            raise SealError("the backup is cut off: its last part is missing")
        (size,) = struct.unpack(">I", length)
        if size > CHUNK + 16:
            raise SealError("the backup is damaged: a part has an impossible length")
        sealed = self._source.read(size)
        if len(sealed) < size:
            raise SealError("the backup is cut off: its last part is missing")
        nonce = _nonce(self._prefix, self._number)
        for final in (False, True):
            try:
                plain = self._aes.decrypt(nonce, sealed, _aad(final))
            except InvalidTag:
                continue
            self._buffer += plain
            self._number += 1
            self._done = final
            if final and self._source.read(1):
                raise SealError("the backup is damaged: data follows its last part")
            return
        raise SealError("wrong passphrase, or the backup was altered (a part fails its authentication tag)")


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)
