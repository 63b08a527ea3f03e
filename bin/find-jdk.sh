# Finds a JDK whose major version is at least POSTPONE_MIN_JAVA (default 21) and exports JAVA_HOME.
# Sourced (POSIX sh) by ./mvnw and ./postpone so the build and the launcher agree on the JDK.
# Order: $JAVA_HOME, `java` on PATH, then the usual install locations. No JDK 21+ -> one line, exit 1.

postpone_java_major() {
  # Prints the major version of the JDK at $1 (empty when $1 is not a JDK).
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
  fi
}

postpone_find_jdk() {
  min="${POSTPONE_MIN_JAVA:-21}"
  candidates="${JAVA_HOME-}"
  if command -v javac >/dev/null 2>&1; then
    candidates="$candidates
$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
  # Callers may run with `set -f`; globbing is needed here.
  case "$-" in *f*) noglob=1; set +f ;; *) noglob=0 ;; esac
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates="$candidates
$dir"
  done
  [ "$noglob" = 1 ] && set -f
  best="" best_major=0
  # The first candidate that qualifies wins for JAVA_HOME/PATH; otherwise the newest install does.
  old_ifs="$IFS"; IFS='
'
  for dir in $candidates; do
    [ -n "$dir" ] || continue
    major="$(postpone_java_major "$dir")"
    [ -n "$major" ] || continue
    if [ "$major" -ge "$min" ]; then
      if [ "$dir" = "${JAVA_HOME-}" ]; then best="$dir"; best_major="$major"; break; fi
      if [ "$major" -gt "$best_major" ]; then best="$dir"; best_major="$major"; fi
    fi
  done
  IFS="$old_ifs"
  if [ -z "$best" ]; then
    echo "postpone: needs a JDK $min or newer, found none (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $(java -version 2>&1 | head -n 1)); install one (e.g. Temurin $min) and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
