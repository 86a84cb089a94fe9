#!/usr/bin/env bash
# Builds the launchers of the real search engines the tests start (tests/engines/*/pom.xml).
# Idempotent: a launcher whose jar is newer than its pom.xml and sources is not rebuilt.
# Needs Maven and a JDK 21+: $JAVA_HOME if it is one, else the newest JDK under /usr/lib/jvm.
# Downloads come from Maven Central into ~/.m2 (first build about 1 minute, ~100 MB).
set -euo pipefail
cd "$(dirname "$0")"

java_major() {  # feature version of the JDK at $1, from its release file
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true
}

pick_jdk() {
    local home major best="" best_major=0
    if [[ -n "${JAVA_HOME:-}" ]] && (( $(java_major "$JAVA_HOME" || echo 0) >= 21 )); then
        echo "$JAVA_HOME"; return
    fi
    for home in /usr/lib/jvm/*/; do
        home=${home%/}
        [[ -L $home || ! -x $home/bin/javac ]] && continue
        major=$(java_major "$home"); major=${major:-0}
        if (( major >= 21 && major > best_major )); then best=$home; best_major=$major; fi
    done
    [[ -n $best ]] && echo "$best"
}

JAVA_HOME=$(pick_jdk) || { echo "build.sh: no JDK 21+ found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME
# Maven 3.8 still uses sun.misc.Unsafe: allow it quietly on JDK 24+.
if (( $(java_major "$JAVA_HOME") >= 24 )); then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
command -v mvn >/dev/null || { echo "build.sh: mvn not found (apt-get install maven)" >&2; exit 1; }

for pom in */pom.xml; do
    project=$(dirname "$pom")
    jar=$(ls "$project"/target/*-launcher.jar 2>/dev/null | head -n1 || true)
    if [[ -n $jar && -z $(find "$project/pom.xml" "$project/src" -newer "$jar" -print -quit) ]]; then
        echo "build.sh: $project is up to date ($jar)"
        continue
    fi
    echo "build.sh: building $project with $JAVA_HOME"
    start=$SECONDS
    (cd "$project" && mvn -q -B package)
    echo "build.sh: built $project in $((SECONDS - start)) s"
done
