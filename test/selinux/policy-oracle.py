#!/usr/bin/python3
"""Answers questions about a compiled policy without an SELinux kernel, using libselinux and
libsepol through Debian's python3-selinux.

Reads one JSON object from stdin:
  {"policy": "policy.33", "fileContexts": "file_contexts",
   "decide": [{"scontext": ..., "tcontext": ..., "tclass": ..., "perms": [...]}, ...],
   "lookup": [{"path": ..., "kind": "file"|"dir"|"socket"}, ...],
   "rules": [{"ruletype": "allow"|"type_transition", "source": ..., "target": ...,
              "tclass": [...], "perms": [...], "default": ...}, ...],
   "constraints": [{"ruletype": "mlsconstrain"|"constrain", "tclass": [...]}, ...],
   "expand": ["type or attribute", ...]}
Writes {"decide": [...], "lookup": [...], "rules": [[...], ...], "constraints": [[...], ...],
"expand": [[...], ...]} to stdout. A decision is "allow", "deny" (no allow
rule), "constraint" (an MLS/MCS constraint refused it, with its text), or "invalid" (a context,
class or permission the policy does not know). A lookup is the context setfiles would apply. A rule query lists the matching rules the way
sesearch prints them; a source or target type also matches rules written on an attribute that
contains it, and any one of the permissions listed matches. A constraint query lists the
constraints on any of the classes, each as {"tclass", "perms" (sorted), "expression"} with the
expression in sesearch's notation. An expansion lists the types a type or attribute stands for.
"""
import json
import stat
import sys

import selinux
import selinux.audit2why as audit2why
import setools

KINDS = {"file": stat.S_IFREG, "dir": stat.S_IFDIR, "socket": stat.S_IFSOCK, "any": 0}
REASONS = {
    audit2why.ALLOW: "allow",
    audit2why.TERULE: "deny",
    audit2why.CONSTRAINT: "constraint",
    audit2why.DONTAUDIT: "deny",
    audit2why.BOOLEAN: "deny",
    audit2why.RBAC: "deny",
}


def decide(question):
    try:
        code, detail = audit2why.analyze(
            question["scontext"], question["tcontext"], question["tclass"], question["perms"]
        )
    except (OSError, ValueError) as err:
        return {"result": "invalid", "detail": str(err)}
    return {"result": REASONS.get(code, "invalid"), "detail": detail, "code": code}


def lookup(question):
    try:
        _, context = selinux.matchpathcon(question["path"], KINDS[question.get("kind", "any")])
        return {"context": context}
    except OSError as err:
        return {"context": None, "detail": str(err)}


def find_rules(policy, query):
    args = {"ruletype": [query.get("ruletype", "allow")]}
    for key in ("source", "target", "default"):
        if query.get(key):
            args[key] = query[key]
    if query.get("tclass"):
        args["tclass"] = query["tclass"]
    if query.get("perms"):
        args["perms"] = set(query["perms"])
    return sorted(str(rule) for rule in setools.TERuleQuery(policy, **args).results())


def find_constraints(policy, query):
    found = setools.ConstraintQuery(policy, ruletype=[query["ruletype"]], tclass=query.get("tclass"))
    return [
        {"tclass": str(c.tclass), "perms": sorted(c.perms), "expression": str(c.expression)}
        for c in found.results()
    ]


def expand(policy, name):
    try:
        return sorted(str(t) for t in policy.lookup_type_or_attr(name).expand())
    except setools.exception.InvalidType:
        return []


def main():
    request = json.load(sys.stdin)
    answer = {"decide": [], "lookup": [], "rules": [], "constraints": [], "expand": []}
    if request.get("decide"):
        audit2why.init(request["policy"])
        answer["decide"] = [decide(q) for q in request["decide"]]
        audit2why.finish()
    if request.get("lookup"):
        selinux.matchpathcon_init(request["fileContexts"])
        answer["lookup"] = [lookup(q) for q in request["lookup"]]
    if request.get("rules") or request.get("constraints") or request.get("expand"):
        policy = setools.SELinuxPolicy(request["policy"])
        answer["rules"] = [find_rules(policy, q) for q in request.get("rules") or []]
        answer["constraints"] = [find_constraints(policy, q) for q in request.get("constraints") or []]
        answer["expand"] = [expand(policy, name) for name in request.get("expand") or []]
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
