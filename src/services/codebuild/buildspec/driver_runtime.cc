// The shell functions every generated driver starts with (see driver.h for the design). Written
// for POSIX sh: it runs unchanged under bash, dash and busybox ash. Names start with _cb_ so
// they stay out of the way of users' commands and out of the carried state.
#include "services/codebuild/buildspec/driver.h"

namespace buildspec {

const char* const kDriverRuntime = R"SH(
_cb_nl='
'
_cb_tab=$(printf '\t')
_cb_cr=$(printf '\r')

# _cb_repl TEXT CHAR REPLACEMENT: TEXT with every CHAR replaced, into _cb_o.
_cb_repl() {
  _cb_i=$1
  _cb_o=
  while :; do
    case $_cb_i in
      *"$2"*)
        _cb_o=$_cb_o${_cb_i%%"$2"*}$3
        _cb_i=${_cb_i#*"$2"}
        ;;
      *) break ;;
    esac
  done
  _cb_o=$_cb_o$_cb_i
}

# _cb_quote VALUE: VALUE as one single-quoted shell word, into _cb_o.
_cb_quote() {
  _cb_repl "$1" "'" "'\\''"
  _cb_o="'$_cb_o'"
}

# _cb_encode FIELD: a progress field with %, TAB, LF and CR percent-encoded, into _cb_o.
_cb_encode() {
  _cb_repl "$1" % %25
  _cb_repl "$_cb_o" "$_cb_tab" %09
  _cb_repl "$_cb_o" "$_cb_nl" %0A
  _cb_repl "$_cb_o" "$_cb_cr" %0D
}

# _cb_now: the time as _cb_sec (epoch seconds), _cb_us (6 digits) and _cb_ms (epoch millis).
# bash 5 and busybox ash have EPOCHREALTIME; dash asks date (GNU date knows %N).
_cb_now() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    _cb_t=$EPOCHREALTIME
  else
    _cb_t=$(command -p date +%s.%N 2>/dev/null) || _cb_t=
  fi
  _cb_sec=${_cb_t%%[.,]*}
  _cb_us=${_cb_t#"$_cb_sec"}
  _cb_us=${_cb_us#[.,]}
  case $_cb_sec in '' | *[!0-9]*) _cb_sec=$(command -p date +%s) ;; esac
  case $_cb_us in '' | *[!0-9]*) _cb_us=000000 ;; esac
  _cb_us=${_cb_us}000000
  _cb_us=${_cb_us%"${_cb_us#??????}"}
  _cb_ms=$_cb_sec${_cb_us%???}
}

# _cb_log MESSAGE: "[Container] 2024/01/02 03:04:05.123456 MESSAGE" in UTC, computed from the
# epoch seconds (civil-from-days) so no date(1) flavour matters.
_cb_log() {
  _cb_now
  _cb_z=$((_cb_sec / 86400 + 719468))
  _cb_era=$((_cb_z / 146097))
  _cb_doe=$((_cb_z - _cb_era * 146097))
  _cb_yoe=$(((_cb_doe - _cb_doe / 1460 + _cb_doe / 36524 - _cb_doe / 146096) / 365))
  _cb_doy=$((_cb_doe - (365 * _cb_yoe + _cb_yoe / 4 - _cb_yoe / 100)))
  _cb_mp=$(((5 * _cb_doy + 2) / 153))
  _cb_day=$((_cb_doy - (153 * _cb_mp + 2) / 5 + 1))
  _cb_mon=$((_cb_mp < 10 ? _cb_mp + 3 : _cb_mp - 9))
  _cb_year=$((_cb_yoe + _cb_era * 400 + (_cb_mon <= 2)))
  _cb_sod=$((_cb_sec % 86400))
  printf '[Container] %04d/%02d/%02d %02d:%02d:%02d.%s %s\n' "$_cb_year" "$_cb_mon" "$_cb_day" \
    $((_cb_sod / 3600)) $((_cb_sod % 3600 / 60)) $((_cb_sod % 60)) "$_cb_us" "$1"
}

# _cb_record TYPE FIELD...: one progress record, fields TAB-separated and percent-encoded.
_cb_record() {
  _cb_line=$1
  shift
  for _cb_f in "$@"; do
    _cb_encode "$_cb_f"
    _cb_line=$_cb_line$_cb_tab$_cb_o
  done
  printf '%s\n' "$_cb_line" >>"$_cb_progress" 2>/dev/null
}

# Variables the shell or the driver own: never carried from one command to the next.
_cb_owned() {
  case $1 in
    _cb_* | BASH | BASH_* | BASHOPTS | SHELLOPTS | PPID | UID | EUID | GROUPS | RANDOM | SRANDOM | SECONDS | \
      LINENO | HISTCMD | FUNCNAME | PIPESTATUS | OPTIND | OPTARG | IFS | PS1 | PS2 | PS3 | PS4 | PWD | OLDPWD | \
      _ | COMP_* | DIRSTACK | EPOCHREALTIME | EPOCHSECONDS | HOSTNAME | HOSTTYPE | MACHTYPE | OSTYPE | SHLVL | \
      COLUMNS | LINES | HISTFILE | HISTFILESIZE | HISTSIZE | MAILCHECK | CODEBUILD_BUILD_SUCCEEDING)
      return 0
      ;;
  esac
  case " ${_cb_readonly:-} " in *" $1 "*) return 0 ;; esac
  return 1
}

# _cb_readonly_names: the shell's read-only variables (assigning them would fail).
_cb_readonly_names() {
  _cb_readonly=
  _cb_all=$(readonly -p 2>/dev/null)
  while IFS= read -r _cb_l; do
    case $_cb_l in
      'declare -'*) _cb_l=${_cb_l#declare -} && _cb_l=${_cb_l#* } ;;
      'readonly '*) _cb_l=${_cb_l#readonly } ;;
      *) continue ;;
    esac
    _cb_readonly="$_cb_readonly ${_cb_l%%=*}"
  done <<_CB_EOF
$_cb_all
_CB_EOF
}

# _cb_save FILE: this shell's variables and directory, as a script _cb_restore sources. It runs
# in the command's shell, after the command: IFS and noclobber (>|) may be the user's.
_cb_save() {
  [ -n "$1" ] || return 0
  IFS=" $_cb_tab$_cb_nl"
  _cb_out=
  _cb_names=
  if [ -n "${BASH_VERSION:-}" ]; then
    _cb_save_bash
  else
    _cb_all=$(set)
    while IFS= read -r _cb_l; do
      case $_cb_l in [A-Za-z_]*=*) ;; *) continue ;; esac
      _cb_n=${_cb_l%%=*}
      case $_cb_n in *[!A-Za-z0-9_]*) continue ;; esac
      case " $_cb_names " in *" $_cb_n "*) continue ;; esac
      _cb_owned "$_cb_n" && continue
      eval "_cb_isset=\${$_cb_n+x}"
      [ "$_cb_isset" = x ] || continue
      eval "_cb_v=\$$_cb_n"
      _cb_quote "$_cb_v"
      _cb_out="$_cb_out$_cb_n=$_cb_o${_cb_nl}export $_cb_n$_cb_nl"
      _cb_names="$_cb_names $_cb_n"
    done <<_CB_EOF
$_cb_all
_CB_EOF
  fi
  _cb_quote "$PWD"
  printf '%s_cb_names=%s\n_cb_dir=%s\n' "$_cb_out" "'$_cb_names'" "$_cb_o" >|"$1"
}

# bash: compgen lists variable names and ${v@Q} quotes, three times faster than parsing `set`.
# Arrays do not carry (as on AWS, where they are not in the environment). Defined through eval
# so that other shells never parse bash-only syntax.
if [ -n "${BASH_VERSION:-}" ]; then
  eval '_cb_save_bash() {
    for _cb_n in $(compgen -v); do
      _cb_owned "$_cb_n" && continue
      [ "${!_cb_n+x}" = x ] || continue
      case ${!_cb_n@a} in *[aA]*) continue ;; esac
      _cb_v=${!_cb_n}
      _cb_out="$_cb_out$_cb_n=${_cb_v@Q}${_cb_nl}export $_cb_n$_cb_nl"
      _cb_names="$_cb_names $_cb_n"
    done
  }'
fi

# _cb_restore FILE: the state the last command left: variables set, changed and unset, and
# its directory. Nothing when the command left no state (exec, killed, version 0.1).
_cb_restore() {
  [ -s "$1" ] || return 0
  _cb_prev=$_cb_names
  . "$1"
  for _cb_n in $_cb_prev; do
    case " $_cb_names " in *" $_cb_n "*) ;; *) unset "$_cb_n" 2>/dev/null ;; esac
  done
  cd "$_cb_dir" 2>/dev/null || :
}

# _cb_child COMMAND STATE: runs COMMAND in this (sub)shell and saves the state to STATE, also
# when the command calls exit or set -e stops it (the EXIT trap). The set +eux keeps a user's
# shell options away from the driver's own code.
_cb_child() {
  _cb_c=$1
  _cb_state_file=$2
  _cb_saved=
  trap '{ _cb_rc=$?; set +eux; } 2>/dev/null; [ -n "$_cb_saved" ] || _cb_save "$_cb_state_file"; exit $_cb_rc' EXIT
  set --
  eval "$_cb_c"
  { _cb_rc=$?; set +eux; } 2>/dev/null
  _cb_save "$_cb_state_file"
  _cb_saved=1
  exit $_cb_rc
}

# _cb_as_user COMMAND: runs COMMAND as $_cb_user (run-as) through runuser, else su, keeping
# the environment; the child shell sources this script for its functions (_cb_lib=1).
_cb_as_user() {
  if [ "$(command -p id -un 2>/dev/null)" = "$_cb_user" ]; then
    (_cb_child "$1" "$_cb_dump") </dev/null
    return
  fi
  if ! command -p id -u "$_cb_user" >/dev/null 2>&1; then
    printf '%s\n' "run-as: user $_cb_user does not exist"
    return 1
  fi
  if [ -n "$_cb_dump" ]; then
    command -p chown "$_cb_user" "$_cb_dump" 2>/dev/null
  fi
  _cb_inner='_cb_lib=1; . "$1"; _cb_child "$2" "$3"'
  if command -v runuser >/dev/null 2>&1; then
    runuser -m -u "$_cb_user" -- "$_cb_shell" -c "$_cb_inner" _cb "$_cb_self" "$1" "$_cb_dump" </dev/null
  else
    su -m -s "$_cb_shell" "$_cb_user" -c "$_cb_inner" _cb "$_cb_self" "$1" "$_cb_dump" </dev/null
  fi
}

# _cb_trim TEXT: TEXT without trailing newlines (a `|` block's last one), into _cb_o.
_cb_trim() {
  _cb_o=$1
  while :; do
    case $_cb_o in *"$_cb_nl") _cb_o=${_cb_o%"$_cb_nl"} ;; *) break ;; esac
  done
}

# _cb_run COMMAND: one command item. Fails the phase (status 1) when it exits non-zero; the
# first failure of the phase becomes its context message.
_cb_run() {
  _cb_log "Running command $1"
  _cb_record command "$_cb_phase_name" "$_cb_ms" "$1"
  if [ "$_cb_isolated" = 1 ]; then
    _cb_dump=
  else
    _cb_dump=$_cb_state/state.$$
    : >"$_cb_dump"
  fi
  if [ -n "$_cb_user" ]; then
    _cb_as_user "$1"
  else
    (_cb_child "$1" "$_cb_dump") </dev/null
  fi
  _cb_rc=$?
  printf '\n'
  [ -z "$_cb_dump" ] || _cb_restore "$_cb_dump"
  [ "$_cb_rc" = 0 ] && return 0
  _cb_trim "$1"
  _cb_log "Command did not exit successfully $_cb_o exit status $_cb_rc"
  [ -n "$_cb_err" ] || _cb_err="Error while executing command: $_cb_o. Reason: exit status $_cb_rc"
  return 1
}

# _cb_matches REGEX TEXT: RETRY's regular expression (empty matches everything).
_cb_matches() {
  [ -z "$1" ] && return 0
  printf '%s\n' "$2" | command -p grep -Eq -- "$1"
}

# _cb_phase PHASE: the phase's commands, then its finally block (which runs even when a
# command failed; the commands after a failed one are skipped), retried per its policy.
_cb_phase() {
  _cb_phase_name=$1
  _cb_attempt=0
  while :; do
    _cb_attempt=$((_cb_attempt + 1))
    _cb_log "Entering phase $1"
    _cb_record phase-start "$1" "$_cb_attempt" "$_cb_ms"
    _cb_err=
    _cb_phase_ok=1
    "_cb_commands_$1" || _cb_phase_ok=0
    "_cb_finally_$1" || _cb_phase_ok=0
    if [ "$_cb_phase_ok" = 1 ]; then
      _cb_log "Phase complete: $1 State: SUCCEEDED"
      _cb_log "Phase context status code:  Message: "
      _cb_record phase-end "$1" "$_cb_attempt" "$_cb_ms" SUCCEEDED '' ''
      return 0
    fi
    _cb_log "Phase complete: $1 State: FAILED"
    _cb_log "Phase context status code: COMMAND_EXECUTION_ERROR Message: $_cb_err"
    _cb_record phase-end "$1" "$_cb_attempt" "$_cb_ms" FAILED COMMAND_EXECUTION_ERROR "$_cb_err"
    [ "$_cb_action" = RETRY ] && [ "$_cb_attempt" -le "$_cb_retries" ] && _cb_matches "$_cb_regex" "$_cb_err" ||
      return 1
    _cb_record phase-retry "$1" $((_cb_attempt + 1)) "$_cb_ms"
  done
}

# _cb_failed_phase PHASE: AWS's transitions after a failed phase. ABORT ends the build,
# CONTINUE goes on; by default a failed INSTALL or PRE_BUILD ends it, while a failed BUILD still
# runs POST_BUILD and both still upload artifacts.
_cb_failed_phase() {
  _cb_failed=1
  CODEBUILD_BUILD_SUCCEEDING=0
  export CODEBUILD_BUILD_SUCCEEDING
  case $_cb_action in
    CONTINUE) ;;
    ABORT) _cb_stop=1 _cb_next=FINALIZING ;;
    *) case $1 in INSTALL | PRE_BUILD) _cb_stop=1 _cb_next=FINALIZING ;; esac ;;
  esac
}

# _cb_artifact_name ID TEXT: an artifact name, shell-expanded in the build's final state.
_cb_artifact_name() {
  _cb_v=$( (eval "printf '%s' \"$2\"") </dev/null 2>/dev/null) || _cb_v=$2
  _cb_record artifact-name "$1" "$_cb_v"
}

# _cb_export_variables NAME...: env/exported-variables, as the build left them.
_cb_export_variables() {
  for _cb_n in "$@"; do
    eval "_cb_isset=\${$_cb_n+x}"
    if [ "$_cb_isset" = x ]; then
      eval "_cb_v=\$$_cb_n"
      _cb_record variable "$_cb_n" "$_cb_v"
    else
      _cb_record variable-unset "$_cb_n"
    fi
  done
}
)SH";

const char* const kDriverMain = R"SH(
_cb_main() {
  exec 2>&1
  case $0 in /*) _cb_self=$0 ;; *) _cb_self=$PWD/$0 ;; esac
  if ! command -p mkdir -p "$_cb_state" 2>/dev/null || [ ! -w "$_cb_state" ]; then
    _cb_state=${TMPDIR:-/tmp}/codebuild-driver.$$
    command -p mkdir -p "$_cb_state"
  fi
  command -p chmod 0711 "$_cb_state" 2>/dev/null
  _cb_readonly_names
  _cb_environment
  if [ -n "$_cb_workdir" ]; then
    cd "$_cb_workdir" || exit 2
  elif [ -n "${CODEBUILD_SRC_DIR:-}" ]; then
    cd "$CODEBUILD_SRC_DIR" || exit 2
  fi
  CODEBUILD_BUILD_SUCCEEDING=1
  export CODEBUILD_BUILD_SUCCEEDING
  _cb_now
  _cb_record start 1 "$_cb_ms"
  _cb_names=
  _cb_dump=$_cb_state/state.$$
  _cb_save "$_cb_dump"
  _cb_restore "$_cb_dump"
  _cb_setup
  _cb_failed=0 _cb_stop=0 _cb_next=UPLOAD_ARTIFACTS
  for _cb_p in INSTALL PRE_BUILD BUILD POST_BUILD; do
    [ "$_cb_stop" = 1 ] && break
    "_cb_policy_$_cb_p"
    _cb_phase "$_cb_p" || _cb_failed_phase "$_cb_p"
  done
  _cb_exported
  _cb_artifact_names
  _cb_status=SUCCEEDED
  [ "$_cb_failed" = 0 ] || _cb_status=FAILED
  _cb_now
  _cb_record build-end "$_cb_status" "$_cb_ms" "$_cb_next"
  command -p rm -f "$_cb_state/state.$$"
  exit "$_cb_failed"
}
_cb_main
)SH";

}  // namespace buildspec
