#!/usr/bin/env bash
# Browser: publishes samples/Browser (Blazor WebAssembly, no workload needed) and drives the page in real headless
# Chromium with tests/NetGen.BrowserCheck (Selenium through Debian's chromedriver; the check serves the published
# wwwroot on 127.0.0.1 itself). Installs chromium and chromium-driver if they are missing; never downloads a browser.
# The check trains the network in the page and requires a test accuracy of at least 0.9, draws held-out test digits and
# mouse strokes on the canvas and requires them classified as their labels (see docs/platforms.md), and prints the
# page's own Forward and training-step times. Ends with "Browser: OK <summary>" and exit code 0, or with diagnostics,
# "Browser: FAILED <reason>" and exit code 1.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Selenium is given both executables; should it ever consult Selenium Manager, it is to stay offline.
export SE_OFFLINE=true

start=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "Browser: FAILED $* (after $((SECONDS - start)) s)"
  exit 1
}

# ---- Chromium and its driver (Debian's packages; they come in matching versions) ----
missing=()
command -v chromium > /dev/null || missing+=(chromium)
command -v chromedriver > /dev/null || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Browser: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || fail "need root (or sudo) to install ${missing[*]}"
    sudo=(sudo)
  fi
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium chromium-driver; } > "$work/apt.log" 2>&1; then
    tail -n 30 "$work/apt.log"
    fail "apt-get could not install chromium chromium-driver"
  fi
fi
chromium_path=$(command -v chromium) || fail "no chromium after installing it"
chromedriver_path=$(command -v chromedriver) || fail "no chromedriver after installing it"
# (Debian's chromium launcher script prints a harmless shell warning on some machines; only the version line counts.)
echo "Browser: $("$chromium_path" --version 2> /dev/null | grep -m 1 -i chromium); $("$chromedriver_path" --version | head -n 1 | cut -d' ' -f1-2)"

# ---- publish the page ----
publish_start=$SECONDS
site="$work/site"
if ! dotnet publish samples/Browser -c Release -o "$site" > "$work/publish.log" 2>&1; then
  grep -E ': (error|warning) ' "$work/publish.log" | sort -u | head -n 20
  tail -n 30 "$work/publish.log"
  fail "dotnet publish samples/Browser failed"
fi
[ -f "$site/wwwroot/index.html" ] && [ -n "$(find "$site/wwwroot/_framework" -name 'dotnet.native*.wasm' -print -quit)" ] \
  || fail "the published site has no wwwroot/index.html or no _framework/dotnet.native*.wasm"
echo "Browser: published samples/Browser in $((SECONDS - publish_start)) s ($(du -sh "$site/wwwroot" | cut -f1) in wwwroot)"

# ---- build and run the check ----
if ! dotnet build tests/NetGen.BrowserCheck -c Release > "$work/build.log" 2>&1; then
  grep -E ': (error|warning) ' "$work/build.log" | sort -u | head -n 20
  tail -n 30 "$work/build.log"
  fail "dotnet build tests/NetGen.BrowserCheck failed"
fi

check_start=$SECONDS
# The check bounds each wait itself (load 90 s, training 300 s); the outer limit only guards against a hang.
timeout 900 dotnet run --no-build -c Release --project tests/NetGen.BrowserCheck -- \
  --site "$site/wwwroot" --data samples/Digits/Data/digits.csv.gz \
  --chromium "$chromium_path" --chromedriver "$chromedriver_path" > "$work/check.log" 2>&1
code=$?
ok_line=$(grep -m 1 '^Browser: OK ' "$work/check.log")
if [ "$code" -ne 0 ] || [ -z "$ok_line" ]; then
  cat "$work/check.log"
  fail "the check exited with code $code after $((SECONDS - check_start)) s"
fi
grep -v '^Browser: OK ' "$work/check.log"
echo "$ok_line (whole script $((SECONDS - start)) s)"
exit 0
