"""Files in and out for the commands: inputs opened as binary streams (`.gz` and `.zst`
decompressed; `-` is standard input), outputs written to a temporary file and renamed into
place whole (`AtomicFile`, compressed by the same suffixes), and `CorpusError` for an input
or output problem. `zstandard` is imported only when a `.zst` file is given."""

from __future__ import annotations

import gzip
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO


class CorpusError(Exception):
    """An input or output problem (missing file, unreadable archive, unwritable directory)."""


def _zstandard():
    try:
        import zstandard
    except ImportError:
        raise CorpusError("reading or writing .zst files needs the 'zstandard' package "
                          "(pip install zstandard)") from None
    return zstandard


def open_input(path: str) -> BinaryIO:
    """A binary stream of the (decompressed) file; `-` is standard input."""
    if path == "-":
        return sys.stdin.buffer
    try:
        if path.endswith(".gz"):
            return gzip.open(path, "rb")
        if path.endswith(".zst"):
            zstd = _zstandard()
            raw = open(path, "rb")
            try:
                reader = zstd.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True)
            except BaseException:
                raw.close()
                raise
            return io.BufferedReader(reader, buffer_size=1 << 20)
        return open(path, "rb", buffering=1 << 20)
    except OSError as exc:
        raise CorpusError(f"{path}: {exc.strerror or exc}") from None


# -- atomic output ----------------------------------------------------------------------------

class AtomicFile:
    """Writes to a temporary file beside `path`; `commit` renames it into place, `abort` removes it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.tmp: str | None = None
        self._raw = None
        self._fh = None

    @property
    def opened(self) -> bool:
        return self.tmp is not None

    def open(self) -> None:
        directory = self.path.parent
        try:
            fd, self.tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        except OSError as exc:
            raise CorpusError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self._raw = os.fdopen(fd, "wb", buffering=1 << 20)
        name = self.path.name
        if name.endswith(".gz"):
            self._fh = gzip.GzipFile(filename=name[:-3], mode="wb", fileobj=self._raw, mtime=0)
        elif name.endswith(".zst"):
            self._fh = _zstandard().ZstdCompressor().stream_writer(self._raw, closefd=False)
        else:
            self._fh = self._raw

    def write(self, data: bytes) -> None:
        if self._fh is None:
            self.open()
        try:
            self._fh.write(data)
        except OSError as exc:
            raise CorpusError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        if self._fh is None:
            self.open()
        try:
            if self._fh is not self._raw:
                self._fh.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.abort()
            raise CorpusError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self.tmp = None

    def abort(self) -> None:
        for fh in (self._fh, self._raw):
            try:
                if fh is not None:
                    fh.close()
            except Exception:
                pass
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None
