#!/usr/bin/env bash
# Installs the load generators Perf-Xi's Locust and JMeter exports run on, and httpbin (a real
# third-party API the gate is proven on), each pinned, into Perf-Xi's cache ($PERF_XI_CACHE_DIR,
# else ${XDG_CACHE_HOME:-~/.cache}/perf-xi), next to k6; and Chromium, in which the tests look at
# the PR comment as GitHub shows it:
#
#   locust  <cache>/locust/<version>/venv/bin/locust   a virtualenv, `pip install locust==<version>` from PyPI
#   httpbin <cache>/httpbin/<version>/venv/bin/gunicorn  a virtualenv with httpbin, flasgger (its
#                                                      /spec.json) and the gunicorn WSGI server from
#                                                      PyPI: `gunicorn httpbin:app`
#   jmeter  <cache>/jmeter/<version>/bin/jmeter        Apache JMeter assembled from its Maven Central
#                                                      artifacts (Maven verifies every checksum)
#   chromium  the system's chromium (Debian's package, with the Liberation and Noto Color Emoji
#                                                      fonts), installed with apt-get where it is missing
#
# Apache's download site is not needed: JMeter's own jars (ApacheJMeter = the launcher,
# ApacheJMeter_config = bin/ with jmeter.properties, _core, _http, _components, _functions, _java)
# and their dependencies are laid out as a JMeter home (bin/, lib/, lib/ext/). Debian's `jmeter`
# package is JMeter 2.13, too old for these plans.
#
# Idempotent: an install is used only once complete (a marker written last); a second run only
# checks the markers and takes well under a second.
#
#   bash scripts/install-load-tools.sh                 # all four
#   bash scripts/install-load-tools.sh locust          # or: jmeter, httpbin, chromium
#   bash scripts/install-load-tools.sh --print-paths   # stdout: "locust=<path>", "jmeter=<path>", "httpbin=<path>", "chromium=<path>"
#
# Needs python3 (3.10+, with venv) for Locust and httpbin, and java (17+) with mvn for JMeter; when one is
# missing and apt-get can be used, it installs python3-venv, default-jre-headless or maven.
# Progress goes to stderr; on failure the reason goes to stderr and the exit code is 1.
set -euo pipefail

LOCUST_VERSION="${PERF_XI_LOCUST_VERSION:-2.47.0}"
HTTPBIN_VERSION="${PERF_XI_HTTPBIN_VERSION:-0.10.4}"
GUNICORN_VERSION="${PERF_XI_GUNICORN_VERSION:-27.0.1}"
FLASGGER_VERSION="${PERF_XI_FLASGGER_VERSION:-0.9.7.1}"
JMETER_VERSION="${PERF_XI_JMETER_VERSION:-5.6.3}"
CACHE_DIR="${PERF_XI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/perf-xi}"

print_paths=false
tools=()
for arg in "$@"; do
  case "$arg" in
    --print-paths) print_paths=true ;;
    locust | jmeter | httpbin | chromium) tools+=("$arg") ;;
    -h | --help)
      sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-load-tools: unknown argument '$arg' (expected locust, jmeter, httpbin, chromium or --print-paths)" >&2
      exit 2
      ;;
  esac
done
[ ${#tools[@]} -gt 0 ] || tools=(locust jmeter httpbin chromium)

log() { echo "install-load-tools: $*" >&2; }
fail() {
  log "$*"
  exit 1
}

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: $*"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
  else
    return 1
  fi
}

# A python3 (3.10 or later) with venv, installed from Debian's packages where it is missing; prints its path.
python_with_venv() {
  local what="$1" python
  python="$(command -v python3 || true)"
  [ -n "$python" ] || apt_install python3 python3-venv || fail "$what needs python3 (3.10 or later): install it and run this again"
  python="$(command -v python3)"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    fail "$what needs Python 3.10 or later; $python is $("$python" --version 2>&1)"
  "$python" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv || fail "python3 has no venv module: install python3-venv"
  echo "$python"
}

# A fresh virtualenv at <home>/venv with the pinned packages from PyPI.
new_venv() {
  local python="$1" home="$2"
  shift 2
  rm -rf "$home"
  mkdir -p "$home"
  "$python" -m venv "$home/venv" >&2
  "$home/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2 || fail "pip could not install $* (see above)"
}

install_locust() {
  local home="$CACHE_DIR/locust/$LOCUST_VERSION"
  local bin="$home/venv/bin/locust"
  if [ -x "$bin" ] && [ "$(cat "$home/.complete" 2>/dev/null)" = "$LOCUST_VERSION" ]; then
    LOCUST_PATH="$bin"
    return
  fi
  local python
  python="$(python_with_venv Locust)"
  log "installing Locust $LOCUST_VERSION into $home/venv (PyPI)"
  new_venv "$python" "$home" "locust==$LOCUST_VERSION"
  local version
  version="$("$bin" --version 2>&1)" || fail "the installed locust does not start: $version"
  case "$version" in *"$LOCUST_VERSION"*) ;; *) fail "expected Locust $LOCUST_VERSION, got: $version" ;; esac
  echo "$LOCUST_VERSION" >"$home/.complete"
  log "Locust $LOCUST_VERSION ready: $bin"
  LOCUST_PATH="$bin"
}

install_httpbin() {
  local home="$CACHE_DIR/httpbin/$HTTPBIN_VERSION"
  local bin="$home/venv/bin/gunicorn"
  local stamp="$HTTPBIN_VERSION flasgger $FLASGGER_VERSION gunicorn $GUNICORN_VERSION"
  if [ -x "$bin" ] && [ "$(cat "$home/.complete" 2>/dev/null)" = "$stamp" ]; then
    HTTPBIN_PATH="$bin"
    return
  fi
  local python
  python="$(python_with_venv httpbin)"
  log "installing httpbin $HTTPBIN_VERSION, flasgger $FLASGGER_VERSION and gunicorn $GUNICORN_VERSION into $home/venv (PyPI)"
  new_venv "$python" "$home" "httpbin==$HTTPBIN_VERSION" "flasgger==$FLASGGER_VERSION" "gunicorn==$GUNICORN_VERSION"
  "$home/venv/bin/python" -c 'import flasgger, httpbin' >&2 || fail "the installed httpbin does not import (see above)"
  echo "$stamp" >"$home/.complete"
  log "httpbin $HTTPBIN_VERSION ready: $bin httpbin:app"
  HTTPBIN_PATH="$bin"
}

install_jmeter() {
  local home="$CACHE_DIR/jmeter/$JMETER_VERSION"
  local bin="$home/bin/jmeter"
  if [ -x "$bin" ] && [ "$(cat "$home/.complete" 2>/dev/null)" = "$JMETER_VERSION" ]; then
    JMETER_PATH="$bin"
    return
  fi
  command -v java >/dev/null 2>&1 || apt_install default-jre-headless || fail "JMeter needs Java 17 or later: install a JRE and run this again"
  command -v unzip >/dev/null 2>&1 || apt_install unzip || fail "unpacking JMeter's bin/ needs unzip: install it and run this again"
  command -v mvn >/dev/null 2>&1 || apt_install maven || fail "assembling JMeter from Maven Central needs mvn: install Maven and run this again"
  local java_major
  java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9.]*\).*/\1/p' | sed 's/^1\.//; s/\..*//')"
  [ "${java_major:-0}" -ge 17 ] || fail "JMeter $JMETER_VERSION is tested here with Java 17 or later; java is version ${java_major:-unknown}"

  log "assembling Apache JMeter $JMETER_VERSION in $home from Maven Central"
  local work
  work="$(mktemp -d)"
  WORK_DIR="$work"
  local deps=""
  for artifact in ApacheJMeter ApacheJMeter_config ApacheJMeter_core ApacheJMeter_http ApacheJMeter_components ApacheJMeter_functions ApacheJMeter_java; do
    deps+="<dependency><groupId>org.apache.jmeter</groupId><artifactId>$artifact</artifactId><version>$JMETER_VERSION</version></dependency>"
  done
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>perf-xi</groupId>
  <artifactId>jmeter-home</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>$deps</dependencies>
</project>
EOF
  # --strict-checksums: a download whose checksum does not match fails the install. A local
  # repository of its own keeps ~/.m2 untouched and makes every install the same full fetch.
  (cd "$work" && mvn -B -q -Dstyle.color=never --strict-checksums -Dmaven.repo.local="$work/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/jars" >&2) ||
    fail "Maven could not fetch JMeter $JMETER_VERSION's artifacts (see above)"

  rm -rf "$home"
  mkdir -p "$home/lib/ext" "$home/lib/junit"
  (cd "$home" && unzip -q -o "$work/jars/ApacheJMeter_config-$JMETER_VERSION.jar" 'bin/*') || fail "could not unpack ApacheJMeter_config"
  rm "$work/jars/ApacheJMeter_config-$JMETER_VERSION.jar"
  mv "$work/jars/ApacheJMeter-$JMETER_VERSION.jar" "$home/bin/ApacheJMeter.jar"
  # JMeter finds its samplers, functions and elements by scanning lib/ext.
  mv "$work/jars"/ApacheJMeter_*.jar "$home/lib/ext/"
  mv "$work/jars"/*.jar "$home/lib/"
  cat >"$bin" <<'EOF'
#!/bin/sh
# Apache JMeter, assembled from Maven Central by Perf-Xi's scripts/install-load-tools.sh.
# JVM_ARGS replaces the default heap settings.
JMETER_HOME=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
exec java ${JVM_ARGS:--Xms256m -Xmx1g} -jar "$JMETER_HOME/bin/ApacheJMeter.jar" "$@"
EOF
  chmod +x "$bin"
  local version
  version="$("$bin" --version 2>&1)" || fail "the assembled JMeter does not start: $(tail -n 5 <<<"$version")"
  case "$version" in *"$JMETER_VERSION"*) ;; *) fail "expected JMeter $JMETER_VERSION, got: $(tail -n 5 <<<"$version")" ;; esac
  echo "$JMETER_VERSION" >"$home/.complete"
  log "Apache JMeter $JMETER_VERSION ready: $bin"
  JMETER_PATH="$bin"
}

# Not pinned: Debian's chromium follows the distribution's security updates, and the tests only lay
# out a page in it. The fonts make its text and emoji measure as they do in a user's browser.
install_chromium() {
  local bin
  bin="$(command -v chromium || command -v chromium-browser || true)"
  if [ -z "$bin" ]; then
    apt_install chromium fonts-liberation fonts-noto-color-emoji || fail "Chromium is missing and apt-get cannot install it: install chromium and run this again"
    bin="$(command -v chromium)" || fail "the chromium package installed no chromium on PATH"
  elif command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-liberation fonts-noto-color-emoji >/dev/null 2>&1; then
    apt_install fonts-liberation fonts-noto-color-emoji || log "the Liberation or Noto Color Emoji fonts are missing: text may measure differently"
  fi
  local version
  # Debian's wrapper script may complain on stderr; the version is the last line it prints.
  version="$("$bin" --version 2>/dev/null | tail -n 1)" || fail "the installed chromium does not start"
  [ -n "$version" ] || fail "the installed chromium does not start: $bin --version printed nothing"
  log "$version ready: $bin"
  CHROMIUM_PATH="$bin"
}

LOCUST_PATH=""
CHROMIUM_PATH=""
JMETER_PATH=""
HTTPBIN_PATH=""
WORK_DIR=""
trap '[ -z "$WORK_DIR" ] || rm -rf "$WORK_DIR"' EXIT
for tool in "${tools[@]}"; do
  "install_$tool"
done
if $print_paths; then
  [ -z "$LOCUST_PATH" ] || echo "locust=$LOCUST_PATH"
  [ -z "$JMETER_PATH" ] || echo "jmeter=$JMETER_PATH"
  [ -z "$HTTPBIN_PATH" ] || echo "httpbin=$HTTPBIN_PATH"
  [ -z "$CHROMIUM_PATH" ] || echo "chromium=$CHROMIUM_PATH"
else
  [ -z "$LOCUST_PATH" ] || log "locust: $LOCUST_PATH"
  [ -z "$JMETER_PATH" ] || log "jmeter: $JMETER_PATH"
  [ -z "$HTTPBIN_PATH" ] || log "httpbin: $HTTPBIN_PATH"
  [ -z "$CHROMIUM_PATH" ] || log "chromium: $CHROMIUM_PATH"
fi
