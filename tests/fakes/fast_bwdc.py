"""A fast fake ``bwdc`` for the soak test: a ``/bin/sh`` script, no Python start-up per call.

The Python fake (tests/fakes/fake_bwdc.py, which runs bwdc_tray.demo.simbwdc) costs ~50 ms a
call, ~150 ms a run (login, sync, logout): too slow for a thousand runs. This one answers in a
few milliseconds, with the exact bytes real bwdc 2026.4.0 wrote in the captures of
``shared/fixtures/bwdc-captures`` wherever a reply names one (``Reply.capture``;
tests/reliability/test_fast_bwdc.py checks them byte for byte). The few replies no capture
covers are marked ``derived`` with where their text comes from.

It keeps no state: the scenario of the run is read from ``<appdata>/fast-bwdc-scenario`` (one
word, see :data:`SCENARIOS`; missing file = ``ok``) on every call, so a test sets each run's
outcome before the run with :func:`set_scenario`. After a failed login (or a 401 that makes
bwdc log itself out) every later call behaves as "not logged in", like the real CLI.

Commands: ``login``, ``sync``, ``logout``, ``test``, ``config SETTING [VALUE]``,
``--version``/``-v``, with or without ``--response``; anything else is an invalid command.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

SCENARIO_FILE = "fast-bwdc-scenario"
VERSION = "2026.4.0"
#: How long a hanging call sleeps if nobody stops it (the runner should, at the timeout).
HANG_SECONDS = 60

VERBS = ("login", "sync", "logout", "test", "config")


@dataclass(frozen=True)
class Reply:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    #: The capture this reply reproduces byte for byte, or None (derived: see ``source``).
    capture: str | None = None
    source: str = ""
    #: instead of answering, sleep: "tree" in a child of the script (a stuck helper: the runner
    #: must stop the whole tree), "alone" as the script's own process (exec); "detached" and
    #: "detached-silent" first start a helper that leaves the tree (double fork + setsid, so
    #: no kill of the tree or its session reaches it) holding the script's stdout and stderr,
    #: writing a line every 0.1 s for 5 s, or silent for 4 s
    hang: str | None = None
    signal: str | None = None  # after printing, die by this signal (no core file)


def _msg(title: str) -> str:
    """`--response` success: bwdc's MessageResponse, as every captured one prints it."""
    return (
        f'{{"success":true,"data":{{"noColor":false,"object":"message",'
        f'"title":"{title}","message":null}}}}\n'
    )


def _fail(message: str) -> str:
    return f'{{"success":false,"message":"{message}"}}\n'


def _synced(groups: int, users: int) -> str:
    message = f"Synced {groups} group(s) and {users} user(s)."
    return (
        '{"success":true,"data":{"noColor":false,"object":"message",'
        f'"title":"Syncing complete.","message":"{message}"}}}}\n'
    )


NOT_LOGGED_IN = "You are not logged in."
INVALID_CLIENT = '{"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}'
LOGIN_REFUSED = (
    "request to http://127.0.0.1:8087/identity/connect/token failed, "
    "reason: connect ECONNREFUSED 127.0.0.1:8087"
)
IMPORT_REFUSED = (
    "request to http://127.0.0.1:8087/api/public/organization/import failed, "
    "reason: connect ECONNREFUSED 127.0.0.1:8087"
)
LDAP_REFUSED = "connect ECONNREFUSED 127.0.0.1:1389"
NULL_DIRECTORY_SETTINGS = "Cannot read properties of null (reading 'directorySettings')"
NO_ORGANIZATION = "Organization not set."
#: reference/bwdc.md §5.4: the 401 path of issue #264, an unhandled TypeError with its trace.
TYPE_ERROR = "TypeError: Cannot read properties of null (reading 'message')"
STACK_TRACE = (
    f"{TYPE_ERROR}\n"
    "    at ApiService.handleError (/snapshot/directory-connector/jslib/common/src/services/"
    "api.service.ts:2147:38)\n"
    "    at ApiService.send (/snapshot/directory-connector/jslib/common/src/services/"
    "api.service.ts:2082:24)\n"
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
)
#: What Node prints when it runs out of heap, before it aborts (SIGABRT).
OUT_OF_MEMORY = (
    "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"
)

_TEST_DATA = (
    '{"groups":[{"externalId":"cn=Blue Team,dc=bitwarden,dc=com","displayName":"Blue Team",'
    '"userIds":["cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com"]}],"enabledUsers":'
    '[{"externalId":"cn=Loella Mak,ou=Payroll,dc=bitwarden,dc=com",'
    '"displayName":"makl@example.com"}],"disabledUsers":[],"deletedUsers":[],"object":"test"}'
)

# The ok scenario, per (verb, --response).
_OK: dict[tuple[str, bool], Reply] = {
    ("login", True): Reply(_msg("You are logged in!"), capture="login-success-response"),
    ("login", False): Reply("You are logged in!\n", capture="login-success"),
    ("sync", True): Reply(_synced(5, 20), capture="sync-success-response"),
    ("sync", False): Reply(
        "Syncing complete.\nSynced 5 group(s) and 20 user(s).\n", capture="sync-success"
    ),
    ("logout", True): Reply(
        _msg("You have logged out."),
        source="derived: no capture of a successful `--response logout`; the MessageResponse "
        "of login-success-response with logout.txt's text",
    ),
    ("logout", False): Reply("You have logged out.\n", capture="logout"),
    ("test", True): Reply(
        f'{{"success":true,"data":{_TEST_DATA[:-1]}}}}}\n',
        source="derived: test-success-response's shape with a one-user directory",
    ),
    ("test", False): Reply(
        _TEST_DATA + "\n", source="derived: test-success's shape with a one-user directory"
    ),
    # `config SETTING`: the reply names the setting ($setting in the script).
    ("config", True): Reply(_msg("Saved setting `$setting`."), capture="config-server-response"),
    ("config", False): Reply("Saved setting `$setting`.\n", capture="config-server"),
}

_LOGGED_OUT: dict[tuple[str, bool], Reply] = {
    ("sync", True): Reply(_fail(NOT_LOGGED_IN), exit_code=1, capture="not-logged-in-sync-response"),
    ("sync", False): Reply(stderr=NOT_LOGGED_IN + "\n", exit_code=1, capture="not-logged-in-sync"),
    ("test", True): Reply(_fail(NOT_LOGGED_IN), exit_code=1, capture="not-logged-in-test-response"),
    ("test", False): Reply(stderr=NOT_LOGGED_IN + "\n", exit_code=1, capture="not-logged-in-test"),
    ("logout", True): Reply(_fail(NOT_LOGGED_IN), exit_code=1, capture="logout-again-response"),
    ("logout", False): Reply(
        stderr=NOT_LOGGED_IN + "\n", exit_code=1, capture="not-logged-in-logout"
    ),
}

_HANG = Reply(hang="tree", source="derived: a bwdc that never answers, with a stuck child")
_HANG_ALONE = Reply(hang="alone", source="derived: a bwdc that never answers")
#: What the detached helpers print (a line of bwdc's debug output, reference/bwdc.md §5.2).
HELPER_LINE = "User search: ou=People,dc=example,dc=com => (&(objectClass=person))"
_HELPERS = {
    "detached": (
        f"i=0; while [ $i -lt 50 ]; do printf '%s\\n' '{HELPER_LINE}'; sleep 0.1; i=$((i+1)); done"
    ),
    "detached-silent": "sleep 4",
}


def _logged_out_after(login: dict[tuple[str, bool], Reply]) -> dict[tuple[str, bool], Reply]:
    return {**_LOGGED_OUT, **login}


def _crash_logs_out(sync: dict[tuple[str, bool], Reply]) -> dict[tuple[str, bool], Reply]:
    """A sync that makes bwdc log itself out: the logout after it finds no login."""
    return {
        **sync,
        ("logout", True): _LOGGED_OUT["logout", True],
        ("logout", False): _LOGGED_OUT["logout", False],
    }


#: scenario -> the replies that differ from the ok scenario.
SCENARIOS: dict[str, dict[tuple[str, bool], Reply]] = {
    "ok": {},
    "unchanged": {
        ("sync", True): Reply(_synced(0, 0), capture="sync-success-unchanged-response"),
        ("sync", False): Reply(
            "Syncing complete.\nSynced 0 group(s) and 0 user(s).\n",
            capture="sync-success-unchanged",
        ),
    },
    "invalid-client": _logged_out_after(
        {
            ("login", True): Reply(
                _fail(INVALID_CLIENT.replace('"', '\\"')),
                exit_code=1,
                capture="login-wrong-secret-response",
            ),
            ("login", False): Reply(
                stderr=INVALID_CLIENT + "\n", exit_code=1, capture="login-wrong-secret"
            ),
        }
    ),
    "server-unreachable": _logged_out_after(
        {
            ("login", True): Reply(
                _fail(LOGIN_REFUSED), exit_code=1, capture="login-server-unreachable-response"
            ),
            ("login", False): Reply(
                stderr=LOGIN_REFUSED + "\n", exit_code=1, capture="login-server-unreachable"
            ),
        }
    ),
    "ldap-unreachable": {
        ("sync", True): Reply(
            _fail(LDAP_REFUSED), exit_code=1, capture="sync-ldap-unreachable-response"
        ),
        ("sync", False): Reply(
            stderr=LDAP_REFUSED + "\n", exit_code=1, capture="sync-ldap-unreachable"
        ),
        ("test", True): Reply(
            _fail(LDAP_REFUSED), exit_code=1, capture="test-ldap-unreachable-response"
        ),
        ("test", False): Reply(
            stderr=LDAP_REFUSED + "\n", exit_code=1, capture="test-ldap-unreachable"
        ),
    },
    "sync-server-unreachable": {
        ("sync", True): Reply(
            _fail(IMPORT_REFUSED), exit_code=1, capture="sync-server-unreachable-response"
        ),
        ("sync", False): Reply(
            stderr=IMPORT_REFUSED + "\n", exit_code=1, capture="sync-server-unreachable"
        ),
    },
    "crash-401": _crash_logs_out(
        {
            ("sync", True): Reply(
                _fail(NULL_DIRECTORY_SETTINGS), exit_code=1, capture="sync-import-401-response"
            ),
            ("sync", False): Reply(
                stderr=NULL_DIRECTORY_SETTINGS + "\n",
                exit_code=1,
                capture="sync-import-401-logs-out",
            ),
        }
    ),
    "no-organization": {
        ("sync", True): Reply(
            _fail(NO_ORGANIZATION), exit_code=1, capture="sync-no-organization-id-response"
        ),
        ("sync", False): Reply(
            stderr=NO_ORGANIZATION + "\n", exit_code=1, capture="sync-no-organization-id"
        ),
    },
    # An unhandled exception: Node prints the trace on stderr, --response or not, and exits 1.
    "crash-trace": _crash_logs_out(
        {
            ("sync", r): Reply(
                stderr=STACK_TRACE,
                exit_code=1,
                source="derived: reference/bwdc.md §5.4 (issue #264), no capture",
            )
            for r in (True, False)
        }
    ),
    # Node out of heap: a FATAL ERROR line, then abort(): killed by SIGABRT, no exit code.
    "abort": {
        ("sync", r): Reply(
            stderr=OUT_OF_MEMORY,
            signal="ABRT",
            source="derived: Node's heap-limit abort, no capture",
        )
        for r in (True, False)
    },
    "hang": {(verb, r): _HANG for verb in ("sync", "test") for r in (True, False)},
    "hang-login": _logged_out_after({("login", True): _HANG_ALONE, ("login", False): _HANG_ALONE}),
    # Not drawn by the soak: they show how the runner copes with a process that escaped the tree.
    "hang-detached": {
        ("sync", r): Reply(hang="detached", source="derived: a helper that escaped the tree")
        for r in (True, False)
    },
    "hang-detached-silent": {
        ("sync", r): Reply(hang="detached-silent", source="derived: a silent escaped helper")
        for r in (True, False)
    },
}


def reply(scenario: str, verb: str, response: bool) -> Reply:
    return SCENARIOS[scenario].get((verb, response)) or _OK[verb, response]


def _quote(text: str) -> str:
    """``text`` for the script: single-quoted, except ``$setting`` (the config reply)."""
    return '"$setting"'.join(shlex.quote(part) for part in text.split("$setting"))


def _body(r: Reply) -> str:
    lines = []
    if r.stdout:
        lines.append(f"printf '%s' {_quote(r.stdout)}")
    if r.stderr:
        lines.append(f"printf '%s' {_quote(r.stderr)} >&2")
    if r.hang == "tree":
        lines.append(f"sleep {HANG_SECONDS}")
    elif r.hang == "alone":
        lines.append(f"exec sleep {HANG_SECONDS}")
    elif r.hang in _HELPERS:
        helper = shlex.quote(_HELPERS[r.hang])
        lines.append(f"(setsid sh -c {helper} &); exec sleep {HANG_SECONDS}")
    if r.signal:
        lines.append(f"ulimit -c 0; kill -s {r.signal} $$")
    lines.append(f"exit {r.exit_code}")
    return "; ".join(lines)


def script() -> str:
    """The text of the fake."""
    cases = []
    for name, overrides in SCENARIOS.items():
        for (verb, response), r in overrides.items():
            cases.append(f"  {name}:{verb}:{int(response)}) {_body(r)} ;;")
    for (verb, response), r in _OK.items():
        cases.append(f"  *:{verb}:{int(response)}) {_body(r)} ;;")
    known = "|".join(SCENARIOS)
    return f"""\
#!/bin/sh
# Fast fake bwdc for bwdc-tray's soak test; generated by tests/fakes/fast_bwdc.py.
response=0 verb= setting=
for arg do
  case $arg in
    --response) response=1 ;;
    --version|-v) printf '%s\\n' {VERSION}; exit 0 ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb=$arg; elif [ -z "$setting" ]; then setting=$arg; fi ;;
  esac
done
scenario=ok
file=${{BITWARDENCLI_CONNECTOR_APPDATA_DIR:-.}}/{SCENARIO_FILE}
if [ -r "$file" ]; then IFS= read -r scenario < "$file" || :; fi
case $scenario in
  {known}) ;;
  *) printf 'fast bwdc: unknown scenario %s\\n' "$scenario" >&2; exit 97 ;;
esac
case $scenario:$verb:$response in
{chr(10).join(cases)}
  *) printf 'Invalid command: %s\\nSee --help for a list of available commands.\\n' "$*" >&2
     exit 1 ;;
esac
"""


def make_fast_bwdc(directory: Path) -> Path:
    """Write the executable fake ``bwdc`` into ``directory``; return its path (POSIX only)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "bwdc"
    path.write_text(script(), encoding="utf-8")
    path.chmod(0o755)
    return path


def set_scenario(appdata: Path, scenario: str) -> None:
    """What the next calls of the fake on ``appdata`` do."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: one of {', '.join(SCENARIOS)}")
    (appdata / SCENARIO_FILE).write_text(scenario + "\n", encoding="utf-8")
