# Shared by `start` and `start-cluster` (sourced, not run): finding a JDK, building the launcher,
# launching one node, health checks, stopping a node by its PID file.
# Callers set: here (this folder), target ($here/target).

fail() {
    echo "elasticsearch-node: $*" >&2
    exit 1
}

pick_java_home() {
    local candidates=("${ES_NODE_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}")
    local home version
    for home in "${candidates[@]}"; do
        [[ -n $home && -x $home/bin/java ]] || continue
        version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java.specification.version = //p')
        if [[ ${version%%.*} -ge 21 ]]; then
            echo "$home"
            return
        fi
    done
    fail "no JDK 21+ found; set ES_NODE_JAVA_HOME"
}

# The node answers when its URL is written and cluster health reaches yellow.
healthy() {
    local url=$1
    curl -fsS --max-time 5 "$url/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null |
        grep -Eq '"status":"(yellow|green)"'
}

# The PID in a pid file if it still is our launcher (PIDs get reused).
launcher_pid() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ -n $pid ]] && grep -qs statementarchive.esnode.Launcher "/proc/$pid/cmdline" || return 1
    echo "$pid"
}

build() {
    local stamp=$target/.built
    if [[ -f $stamp && -z $(find "$here/pom.xml" "$here/src" -newer "$stamp" -print -quit) ]]; then
        return
    fi
    echo "elasticsearch-node: building with maven (log: $target/build.log)" >&2
    # Offline first so that a warm ~/.m2 needs no network; online only when something is missing.
    if ! JAVA_HOME=$java_home mvn -q -B -o -f "$here/pom.xml" compile >"$target/build.log" 2>&1 &&
        ! JAVA_HOME=$java_home mvn -q -B -f "$here/pom.xml" compile >"$target/build.log" 2>&1; then
        tail -n 40 "$target/build.log" >&2
        fail "maven build failed"
    fi
    touch "$stamp"
}

# launch LOG PIDFILE LAUNCHER_ARGS...: start one node in the background, write its PID.
launch() {
    local log=$1 pidfile=$2
    shift 2
    # TieredStopAtLevel=1 (C1 only): starts in ~6s instead of ~20s on 2 cores, where C2
    # compiling competes with startup; plenty fast for test loads.
    # setsid: the node outlives this script and ignores the caller's Ctrl-C; `stop` ends it.
    setsid "$java_home/bin/java" \
        -Xms"${ES_NODE_HEAP:-512m}" -Xmx"${ES_NODE_HEAP:-512m}" \
        -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -Dfile.encoding=UTF-8 \
        -XX:TieredStopAtLevel=1 \
        --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
        ${ES_NODE_JAVA_OPTS:-} \
        -cp "$target/classes:$target/lib/*" \
        statementarchive.esnode.Launcher "$@" \
        </dev/null >"$log" 2>&1 9>&- &
    echo $! >"$pidfile"
}

# stop_pid PIDFILE: SIGTERM the launcher, wait up to 30s, then SIGKILL; remove the pid file.
stop_pid() {
    local pid
    if pid=$(launcher_pid "$1"); then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "elasticsearch-node: pid $pid ignored SIGTERM for 30s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
    fi
    rm -f "$1"
}

# remove_home DIR: delete a node's temp data folder (kept with ES_NODE_KEEP_DATA=1).
remove_home() {
    if [[ -z ${ES_NODE_KEEP_DATA:-} && -n $1 && -d $1 && $1 == */stmt-es-node.* ]]; then
        rm -rf "$1"
    fi
}
