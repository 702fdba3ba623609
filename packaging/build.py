"""Build Broadsheet's bundle for the current OS, then its installer: the one packaging entry point.

    python packaging/build.py            # bundle + installers for this OS
    python packaging/build.py --fast     # same, with quick compression (CI smoke check)
    python packaging/build.py --bundle-only

Outputs (all under ``dist/``, which git ignores):

* Linux: ``broadsheet/`` (one-folder bundle), ``broadsheet-<v>-linux-<arch>.tar.gz`` and
  ``broadsheet_<v>_<debarch>.deb`` (built with ``dpkg-deb``; installs to /opt/broadsheet with
  a /usr/bin symlink, a .desktop entry, hicolor icons and AppStream metainfo).
* Windows: ``broadsheet/`` and ``broadsheet-<v>-windows-x64-setup.exe`` (Inno Setup's ISCC).
* macOS: ``Broadsheet.app`` and ``broadsheet-<v>-macos-<arch>.dmg`` (hdiutil).

Why one script rather than a Makefile: the same Python runs on all three CI runners, and
the version comes from one place (pyproject.toml). Build tools (PyInstaller) come from the
``build`` extra: ``pip install -e .[build]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DIST = REPO / "dist"
WORK = REPO / "build"
ICON_DIR = WORK / "icons"
APP_ID = "org.broadsheet.Broadsheet"
BUNDLE_NAME = "broadsheet"

sys.path.insert(0, str(HERE))
import icons  # noqa: E402 - packaging/icons.py, importable once HERE is on sys.path


def version() -> str:
    """The single version number, from pyproject.toml."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def run(cmd: list[str], **kwargs: object) -> None:
    """Run a command, echoing it, and stop the build on failure."""
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def dir_size(path: Path) -> int:
    """Bytes in regular files under ``path`` (symlinks not followed, so nothing counts twice)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle() -> Path:
    """Generate the icons, run PyInstaller on the spec and return the bundle folder."""
    icons.generate(ICON_DIR)
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(HERE / "broadsheet.spec"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK / "pyinstaller"),
        ],
        cwd=REPO,
    )
    bundle = DIST / BUNDLE_NAME
    if sys.platform.startswith("linux"):
        strip_debug_info(bundle)
    return bundle


def strip_debug_info(bundle: Path) -> None:
    """Remove DWARF debug sections from the bundled shared libraries (Linux).

    The Python interpreter this is built with may carry full debug info (pyenv builds do:
    libpython alone is 23 MB, 6 MB stripped). ``--strip-debug`` keeps the symbol tables, so
    nothing that resolves symbols at run time is affected.

    Only files that have debug sections are touched. Wheels' libraries come stripped, and the
    ones auditwheel vendored (``numpy.libs/``) were rewritten by patchelf into a layout that
    binutils' strip corrupts: numpy's OpenBLAS then fails to load with "ELF load command
    address/offset not page-aligned", so those folders are never stripped. Skipped with a note
    if binutils' ``strip`` or ``readelf`` is missing.
    """
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if strip is None or readelf is None:
        print("note: binutils not found; bundle keeps its debug info", flush=True)
        return
    libs = [
        str(p)
        for p in bundle.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and (p.suffix == ".so" or ".so." in p.name)
        and not any(part.endswith(".libs") for part in p.relative_to(bundle).parts)
    ]
    with_debug = [lib for lib in libs if has_debug_sections(readelf, lib)]
    for start in range(0, len(with_debug), 200):
        subprocess.run([strip, "--strip-debug", *with_debug[start : start + 200]], check=True)


def has_debug_sections(readelf: str, lib: str) -> bool:
    """Whether an ELF file carries DWARF (``.debug_*``) sections."""
    out = subprocess.run([readelf, "-S", "-W", lib], capture_output=True, text=True).stdout
    return " .debug_" in out


# --------------------------------------------------------------------------------------------
# Linux


def linux_tarball(bundle: Path, ver: str, fast: bool) -> Path:
    """``broadsheet-<v>-linux-<arch>.tar.gz``: the bundle under a versioned top folder."""
    target = DIST / f"broadsheet-{ver}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=1 if fast else 9) as tar:
        tar.add(bundle, arcname=f"broadsheet-{ver}")
    return target


def glibc_floor(bundle: Path) -> str | None:
    """Highest GLIBC_x.y symbol version the bundle needs, for the .deb's libc6 dependency."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return None
    files = [str(bundle / BUNDLE_NAME)] + [
        str(p) for p in bundle.rglob("*.so*") if p.is_file() and not p.is_symlink()
    ]
    found: set[tuple[int, ...]] = set()
    for start in range(0, len(files), 200):
        out = subprocess.run(
            [objdump, "-T", *files[start : start + 200]], capture_output=True, text=True
        ).stdout
        found |= {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)}
    return ".".join(map(str, max(found))) if found else None


def system_packages(bundle: Path) -> list[str]:
    """The Debian packages that ship the system libraries the bundle links to.

    Read, like dpkg-shlibdeps does, from ``ldd`` of every bundled ELF file and ``dpkg -S`` of
    each library found outside the bundle: Qt's xcb plugin alone needs a dozen libxcb-*
    packages that a fresh desktop may lack (a fixed list missed libxcb-icccm4 and keysyms1).
    libc6 is left out (its version floor is added separately); libraries the build machine
    lacks (Wayland's, optional) are skipped.
    """
    env = dict(os.environ, LD_LIBRARY_PATH=f"{bundle / '_internal'}:"
               f"{bundle / '_internal' / 'PySide6' / 'Qt' / 'lib'}")
    files = [str(p) for p in bundle.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    outside: set[str] = set()
    for start in range(0, len(files), 100):
        out = subprocess.run(["ldd", *files[start : start + 100]], capture_output=True,
                             text=True, env=env).stdout
        outside |= {lib for lib in re.findall(r"=> (/\S+)", out) if str(bundle) not in lib}
    packages: set[str] = set()
    for lib in sorted(outside):
        for candidate in (lib, os.path.realpath(lib), lib.replace("/lib/", "/usr/lib/", 1)):
            owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if owner.returncode == 0:
                packages.add(owner.stdout.split(":")[0].strip())
                break
    return sorted(packages - {"libc6"})


def linux_deb(bundle: Path, ver: str, fast: bool) -> Path:
    """Build the .deb with dpkg-deb from a staged root (no fakeroot needed: --root-owner-group)."""
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    root = WORK / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / "broadsheet"
    shutil.copytree(bundle, opt, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "broadsheet").symlink_to("/opt/broadsheet/broadsheet")

    share = root / "usr" / "share"
    apps = share / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(HERE / "linux" / f"{APP_ID}.desktop", apps / f"{APP_ID}.desktop")
    for src in (ICON_DIR / "hicolor").rglob("broadsheet.*"):
        rel = src.relative_to(ICON_DIR / "hicolor").parent
        dest = share / "icons" / "hicolor" / rel / f"{APP_ID}{src.suffix}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    metainfo = share / "metainfo"
    metainfo.mkdir(parents=True)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    text = (HERE / "linux" / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    (metainfo / f"{APP_ID}.metainfo.xml").write_text(
        text.replace("@VERSION@", ver).replace("@DATE@", today), encoding="utf-8"
    )
    doc = share / "doc" / "broadsheet"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Broadsheet is MIT licensed. The bundled Qt (PySide6) libraries are LGPLv3;\n"
        "Python is under the PSF licence. See /opt/broadsheet/_internal for the components.\n",
        encoding="utf-8",
    )

    libc = glibc_floor(bundle)
    depends = [
        f"libc6 (>= {libc})" if libc else "libc6",
        *system_packages(bundle),
        "fontconfig-config",
    ]
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    template = (HERE / "linux" / "control.in").read_text(encoding="utf-8")
    (control_dir / "control").write_text(
        template.replace("@VERSION@", ver)
        .replace("@ARCH@", arch)
        .replace("@DEPENDS@", ", ".join(depends))
        .replace("@INSTALLED_SIZE@", str(dir_size(root) // 1024)),
        encoding="utf-8",
    )
    for name in ("postinst", "postrm"):
        shutil.copy2(HERE / "linux" / name, control_dir / name)
        (control_dir / name).chmod(0o755)

    target = DIST / f"broadsheet_{ver}_{arch}.deb"
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz"]
    run(["dpkg-deb", "--root-owner-group", *compression, "--build", str(root), str(target)])
    return target


# --------------------------------------------------------------------------------------------
# Windows and macOS (built by .github/workflows/release.yml on their own runners)


def windows_installer(bundle: Path, ver: str) -> Path:
    """Compile packaging/windows/broadsheet.iss with Inno Setup's ISCC."""
    candidates = [
        os.environ.get("ISCC", ""),
        shutil.which("iscc") or "",
        r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe",
        r"C:\Program Files\Inno Setup 6\ISCC.exe",
    ]
    iscc = next((c for c in candidates if c and Path(c).exists()), None)
    if iscc is None:
        raise SystemExit("Inno Setup's ISCC.exe not found (choco install innosetup, or set ISCC)")
    run(
        [
            iscc,
            f"/DAppVersion={ver}",
            f"/DSourceDir={bundle}",
            f"/DOutputDir={DIST}",
            f"/DIconFile={ICON_DIR / 'broadsheet.ico'}",
            str(HERE / "windows" / "broadsheet.iss"),
        ]
    )
    return DIST / f"broadsheet-{ver}-windows-x64-setup.exe"


def macos_dmg(ver: str) -> Path:
    """Wrap dist/Broadsheet.app into a compressed .dmg with packaging/macos/make_dmg.sh."""
    target = DIST / f"broadsheet-{ver}-macos-{platform.machine()}.dmg"
    run(["bash", str(HERE / "macos" / "make_dmg.sh"), str(DIST / "Broadsheet.app"), str(target)])
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--fast",
        action="store_true",
        help="quick compression for the Linux archives (CI smoke check)",
    )
    parser.add_argument("--bundle-only", action="store_true", help="skip the installers")
    args = parser.parse_args(argv)

    ver = version()
    started = time.monotonic()
    bundle = build_bundle()
    print(
        f"bundle: {bundle} ({dir_size(bundle) / 1e6:.1f} MB unpacked, "
        f"built in {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    if args.bundle_only:
        return 0

    artifacts: list[Path] = []
    if sys.platform.startswith("linux"):
        artifacts += [linux_tarball(bundle, ver, args.fast), linux_deb(bundle, ver, args.fast)]
        print(
            "note: no AppImage: appimagetool and its runtime are not packaged on PyPI or "
            "in Debian, and this build fetches nothing else",
            flush=True,
        )
    elif sys.platform == "win32":
        artifacts.append(windows_installer(bundle, ver))
    elif sys.platform == "darwin":
        artifacts.append(macos_dmg(ver))
    for path in artifacts:
        print(f"installer: {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    print(f"done in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
