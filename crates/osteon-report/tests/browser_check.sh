#!/usr/bin/env bash
# Loads an Osteon HTML report in headless Chromium, fails on any uncaught
# JavaScript error, failed resource load or element that could run code
# (an escaping failure), and takes a screenshot.
#
#   crates/osteon-report/tests/browser_check.sh REPORT.html SHOT.png [WIDTHxHEIGHT]
#
# Needs the Debian package `chromium` (or CHROMIUM=/path/to/chrome).
# Exit status: 0 clean, 1 JavaScript errors or nothing rendered, 2 usage or
# no browser.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 REPORT.html SHOT.png [WIDTHxHEIGHT]" >&2
  exit 2
fi
report=$(realpath "$1")
shot=$(realpath -m "$2")
size=${3:-1400x1000}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [[ -z "$browser" ]]; then
  echo "$0: no chromium found (install the Debian package 'chromium' or set CHROMIUM)" >&2
  exit 2
fi
if [[ ! -f "$report" ]]; then
  echo "$0: no such file: $report" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --no-first-run --hide-scrollbars
       --user-data-dir="$work/profile")

# 1. Run the page's script (3 s of virtual time) with console logging on.
"$browser" "${flags[@]}" --enable-logging=stderr --v=0 --virtual-time-budget=3000 \
  --dump-dom "file://$report" >"$work/dom.html" 2>"$work/console.log" || true

status=0
if grep -E "Uncaught|Failed to load resource|net::ERR_" \
     "$work/console.log" >"$work/errors.log"; then
  echo "$0: JavaScript errors or failed loads in $report:" >&2
  cat "$work/errors.log" >&2
  status=1
fi
# The page as the browser built it: an escaping failure would show as an
# element Osteon never writes, a second script, or an event-handler attribute
# (Chromium escapes < and > inside attribute values, so these patterns only
# match real tags).
tag='<[a-zA-Z][a-zA-Z0-9:-]*([[:space:]]+[^[:space:]="/>]+(="[^"]*")?)*'
if grep -Eio "<(img|iframe|object|embed|frame|audio|video|form)[ />]" "$work/dom.html" >"$work/foreign.log"; then
  echo "$0: elements Osteon never writes in $report:" >&2
  head -n 5 "$work/foreign.log" >&2
  status=1
fi
scripts=$(grep -Eio "<script[ >]" "$work/dom.html" | wc -l)
if [[ $scripts -gt 1 ]]; then
  echo "$0: $scripts script elements in $report (the page has one)" >&2
  status=1
fi
if grep -Eo "${tag}[[:space:]]+on[a-zA-Z]+=" "$work/dom.html" >"$work/handlers.log"; then
  echo "$0: event-handler attributes in $report:" >&2
  head -n 5 "$work/handlers.log" | cut -c1-200 >&2
  status=1
fi
if ! grep -q "</main>" "$work/dom.html"; then
  echo "$0: the page did not render (no </main> in the DOM dump)" >&2
  tail -n 20 "$work/console.log" >&2
  status=1
fi

# 2. Screenshot.
mkdir -p "$(dirname "$shot")"
"$browser" "${flags[@]}" --window-size="${size/x/,}" --screenshot="$shot" \
  "file://$report" >/dev/null 2>"$work/shot.log" || true
if [[ ! -s "$shot" ]]; then
  echo "$0: no screenshot written to $shot" >&2
  tail -n 20 "$work/shot.log" >&2
  status=1
fi

if [[ $status -eq 0 ]]; then
  echo "ok: no JavaScript errors; screenshot $shot"
fi
exit $status
