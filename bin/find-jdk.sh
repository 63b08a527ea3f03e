# Finds a JDK whose major version is at least POSTPONE_MIN_JAVA (default 21) and exports JAVA_HOME.
# Sourced (POSIX sh) by ./mvnw and ./postpone so the build and the launcher agree on the JDK.
# Order: $POSTPONE_JAVA (a JDK home; used as given or refused), $JAVA_HOME, `javac` on PATH, then the
# newest JDK in the usual install locations. No JDK 21+ -> one line, exit 1.
# The choice is told once on stderr, and again whenever it changes (remembered in .mvn/.jdk-chosen).

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
  if [ -n "${POSTPONE_JAVA-}" ]; then
    major="$(postpone_java_major "$POSTPONE_JAVA")"
    if [ -z "$major" ] || [ "$major" -lt "$min" ]; then
      echo "postpone: POSTPONE_JAVA=$POSTPONE_JAVA is not a JDK $min or newer${major:+ (it is JDK $major)}; point it at a JDK $min+ home, or unset it to let postpone pick one." >&2
      return 1
    fi
    JAVA_HOME="$POSTPONE_JAVA"
    export JAVA_HOME
    postpone_tell_jdk "$major" "POSTPONE_JAVA"
    return 0
  fi
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
  best="" best_major=0 best_from=""
  # The first candidate that qualifies wins for JAVA_HOME/PATH; otherwise the newest install does.
  old_ifs="$IFS"; IFS='
'
  for dir in $candidates; do
    [ -n "$dir" ] || continue
    major="$(postpone_java_major "$dir")"
    [ -n "$major" ] || continue
    if [ "$major" -ge "$min" ]; then
      if [ "$dir" = "${JAVA_HOME-}" ]; then best="$dir"; best_major="$major"; best_from="JAVA_HOME"; break; fi
      if [ "$major" -gt "$best_major" ]; then best="$dir"; best_major="$major"; best_from="the newest JDK $min+ found"; fi
    fi
  done
  IFS="$old_ifs"
  if [ -z "$best" ]; then
    echo "postpone: needs a JDK $min or newer, found none (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $(java -version 2>&1 | head -n 1)); install one (e.g. Temurin $min) and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
  postpone_tell_jdk "$best_major" "$best_from"
}

postpone_tell_jdk() {
  # One line on stderr the first time a JDK is chosen, or when the choice changed since the last run.
  marker="$(dirname "$0")/.mvn/.jdk-chosen"
  [ "$(cat "$marker" 2>/dev/null)" = "$JAVA_HOME" ] && return 0
  echo "postpone: using JDK $1 at $JAVA_HOME ($2); set POSTPONE_JAVA to a JDK home to choose another" >&2
  printf '%s\n' "$JAVA_HOME" > "$marker" 2>/dev/null || true
}
