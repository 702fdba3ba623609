"""State every facade mixin shares: the path, the connection, and opening/closing."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from reader.paths import default_library_path
from reader.storage.connection import BeforeMigrate, LibraryDatabase, open_database, release


class LibraryBase:
    """Holds one connection. Create one ``Library`` per thread."""

    path: Path
    db: LibraryDatabase
    #: When True, :meth:`_after_open` skips slow housekeeping (the daily backup copies the
    #: whole file); the GUI sets it and runs that housekeeping on its worker instead.
    defer_housekeeping: bool = False

    def __init__(self, path: Path, db: LibraryDatabase) -> None:
        self.path = path
        self.db = db

    @property
    def read_only(self) -> bool:
        """True when the library file or folder cannot be written: reads work, and every
        write raises :class:`reader.errors.ReadOnlyLibraryError` before it starts."""
        return self.db.read_only

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        create: bool = True,
        before_migrate: BeforeMigrate | None = None,
        defer_housekeeping: bool = False,
        read_only: bool | None = None,
    ) -> Self:
        """Open the library at ``path`` (default: the per-user library), creating it if needed.

        ``read_only`` None opens read-only exactly when the file or its folder cannot be
        written. Raises :class:`reader.errors.LibraryError` (or a subclass) with a user-facing
        message.
        """
        resolved = (
            Path(path).expanduser().absolute() if path is not None else default_library_path()
        )
        db = open_database(
            resolved, create=create, before_migrate=before_migrate, read_only=read_only
        )
        library = cls(resolved, db)
        library.defer_housekeeping = defer_housekeeping
        library._after_open()
        return library

    def _after_open(self) -> None:
        """Hook for mixins that need first-run setup (e.g. the default taxonomy)."""

    def close(self) -> None:
        self.db.close()
        release(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
