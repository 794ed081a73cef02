# Shared by enable-admin-container, disable-admin-container and enter-admin-container. Sourced by bash.
# They change settings.host-containers.admin.* through apiclient, which berth bind-mounts into the
# container at /usr/local/bin/apiclient, next to the API socket at /run/api.sock.

berth_admin_error() { echo "Error: $*" >&2; exit 1; }

berth_require_apiclient() {
  command -v apiclient > /dev/null || berth_admin_error "can't find 'apiclient'"
}

# Prints "true" when settings.host-containers.admin.enabled is true, "false" otherwise. Call it as
# `x=$(berth_admin_enabled)` so that a failure stops the caller.
berth_admin_enabled() {
  local settings
  settings=$(apiclient raw -u '/settings?keys=settings.host-containers.admin.enabled') ||
    berth_admin_error "cannot read settings.host-containers.admin.enabled with apiclient"
  jq -r '(if has("settings") then .settings else . end) | .["host-containers"].admin.enabled == true' \
    <<< "$settings" 2> /dev/null || berth_admin_error "unexpected answer from apiclient: $settings"
}

# Prints the number of seconds in DURATION: one or more <number><unit> with unit s, m, h or d
# (90s, 30m, 2h, 1d, 1h30m).
berth_duration_seconds() {
  local duration=$1 rest total=0 n unit
  [[ $duration =~ ^([0-9]+[smhd])+$ ]] ||
    berth_admin_error "invalid duration '$duration': expected e.g. 90s, 30m, 2h, 1d or 1h30m"
  rest=$duration
  while [[ $rest =~ ^0*([0-9]+)([smhd])(.*)$ ]]; do
    n=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    [ ${#n} -le 9 ] || berth_admin_error "invalid duration '$duration': too long"
    case $unit in s) total=$((total + n));; m) total=$((total + n * 60));; h) total=$((total + n * 3600));; d) total=$((total + n * 86400));; esac
  done
  [ "$total" -gt 0 ] || berth_admin_error "invalid duration '$duration': it must be longer than zero"
  echo "$total"
}

# Prints the RFC 3339 UTC time SECONDS from now.
berth_time_after() {
  date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ
}
