# Reading a host container's user data (JSON), for the entrypoints of berth's images. Sourced by bash.
#
# berth writes the decoded settings.host-containers.<name>.user-data to the container's persistent
# storage, which the container sees at /.bottlerocket/host-containers/current (Bottlerocket's path).
# Every reader here fails the entrypoint with a line naming the key and the problem, so a bad value
# changes nothing and shows up in the container's log and exit status.

BERTH_STORAGE=/.bottlerocket/host-containers/current
BERTH_USER_DATA=$BERTH_STORAGE/user-data
BERTH_UD=''

berth_log() { printf '%s: %s\n' "${BERTH_PROG:-berth}" "$*" >&2; }
berth_fail() { berth_log "$*"; exit 1; }

# Logs MESSAGE and sleeps until SIGTERM or SIGINT, then exits 0. As PID 1 a shell ignores SIGTERM
# unless it traps it, so the trap is what lets the container stop at once; it is set before the
# message, which is what a supervisor waits for before it may send SIGTERM.
berth_idle() {
  BERTH_SLEEP_PID=''
  trap 'if [ -n "$BERTH_SLEEP_PID" ]; then kill "$BERTH_SLEEP_PID" 2> /dev/null; fi; exit 0' TERM INT
  berth_log "$1"
  sleep infinity &
  BERTH_SLEEP_PID=$!
  wait "$BERTH_SLEEP_PID"
  exit 0
}

# Loads the user data into BERTH_UD. Returns 1 when the file is missing, empty or only whitespace;
# fails when it is not a JSON object.
berth_load_user_data() {
  [ -f "$BERTH_USER_DATA" ] || return 1
  BERTH_UD=$(cat "$BERTH_USER_DATA")
  [ -n "${BERTH_UD//[[:space:]]/}" ] || return 1
  jq -e 'type == "object"' > /dev/null 2>&1 <<< "$BERTH_UD" ||
    berth_fail "Invalid user data in $BERTH_USER_DATA: expected a JSON object"
  jq -e '.ssh == null or (.ssh | type) == "object"' > /dev/null <<< "$BERTH_UD" ||
    berth_fail "Invalid user data key 'ssh': expected an object"
}

# Runs jq PROGRAM on the user data with $key bound to KEY's path (dotted, as in 'ssh.port').
berth_ud_jq() {
  jq -r --arg key "$1" "getpath(\$key | split(\".\")) as \$v | $2" <<< "$BERTH_UD" 2> /dev/null
}

# Prints the string at KEY, or DEFAULT when KEY is absent or null. Control characters are refused,
# since values end up in configuration files.
berth_ud_string() {
  local key=$1 default=$2 value
  # "0" when absent, else "1" and the value (a value cannot end in a newline, which $() would drop).
  value=$(berth_ud_jq "$key" 'if $v == null then "0" elif ($v | type) != "string" then error("type")
    elif ($v | test("[[:cntrl:]]")) then error("control") else "1" + $v end') ||
    berth_fail "Invalid user data key '$key': expected a string without control characters"
  if [ "$value" = 0 ]; then printf '%s' "$default"; else printf '%s' "${value#1}"; fi
}

# Prints the strings of the list at KEY, one per line (nothing when KEY is absent or null).
berth_ud_strings() {
  local key=$1
  berth_ud_jq "$key" 'if $v == null then empty elif ($v | type) != "array" then error("type")
    elif ($v | all(type == "string" and (test("[[:cntrl:]]") | not)) | not) then error("item")
    else $v[] end' ||
    berth_fail "Invalid user data key '$key': expected a list of strings without control characters"
}

# Prints the first of KEYS that is present (not null) in the user data, or the first of KEYS.
# Bottlerocket accepts both spellings of some keys, e.g. ssh.authorized-keys and ssh.authorized_keys.
berth_ud_pick() {
  local key
  for key in "$@"; do
    if [ "$(berth_ud_jq "$key" '$v != null')" = true ]; then printf '%s' "$key"; return; fi
  done
  printf '%s' "$1"
}

# Prints the TCP port at KEY (an integer from 1 to 65535), or DEFAULT.
berth_ud_port() {
  local key=$1 default=$2
  berth_ud_jq "$key" 'if $v == null then '"$default"' elif ($v | type) == "number" and $v == ($v | floor)
    and $v >= 1 and $v <= 65535 then $v else error("port") end' ||
    berth_fail "Invalid user data key '$key': expected a port number from 1 to 65535, got $(berth_ud_jq "$key" '$v | tojson')"
}

# Prints the login name at 'user', or DEFAULT; it must match ^[a-z_][a-z0-9_-]{0,31}$.
berth_ud_user() {
  local default=$1 user
  user=$(berth_ud_string user "$default")
  [[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] ||
    berth_fail "Invalid user data key 'user': '$user' does not match ^[a-z_][a-z0-9_-]{0,31}$"
  printf '%s' "$user"
}
