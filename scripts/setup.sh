# Sourced by scripts/run and scripts/test: set .venv up once, and again only when
# pyproject.toml changes, so a second launch goes straight to the program.
#
#   setup_venv [test] [gui]   test: install the test extra; gui: Qt's X11/Wayland libraries
#
# .venv/.broadsheet-setup records what is done: "pyproject=<checksum>", then "test" and
# "gui" once those steps succeeded. A changed pyproject.toml starts everything again.
setup_venv() {
  local root venv stamp sum done_ want_test=0 want_gui=0 arg
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  venv="$root/.venv"
  stamp="$venv/.broadsheet-setup"
  for arg in "$@"; do
    case "$arg" in test) want_test=1 ;; gui) want_gui=1 ;; esac
  done
  sum=$(cksum < "$root/pyproject.toml" | cut -d' ' -f1)
  done_=" $(cat "$stamp" 2>/dev/null || true) "
  [[ "$done_" == *" pyproject=$sum "* ]] || done_=" "
  if [ "$done_" = " " ] || { [ $want_test = 1 ] && [[ "$done_" != *" test "* ]]; }; then
    "$root/scripts/system-deps" --python
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
    if [ $want_test = 1 ]; then
      "$venv/bin/python" -m pip install -q -e "$root[test]"
    else
      "$venv/bin/python" -m pip install -q -e "$root"
    fi
    "$venv/bin/python" -m pip check >/dev/null || {
      "$venv/bin/python" -m pip check >&2; echo "setup: broken dependencies (above)" >&2; return 1; }
    "$root/scripts/system-deps"  # the libraries Qt's offscreen platform needs
    [[ "$done_" == *" test "* ]] && want_test=1  # a test install stays a test install
    [ "$done_" = " " ] && done_=" pyproject=$sum "
    [ $want_test = 1 ] && [[ "$done_" != *" test "* ]] && done_="${done_}test "
  fi
  if [ $want_gui = 1 ] && [[ "$done_" != *" gui "* ]]; then
    # Not fatal: the window itself says what is missing if this could not install it.
    "$root/scripts/system-deps" --gui && done_="${done_}gui "
  fi
  echo $done_ > "$stamp"  # unquoted: one space between words
}
