#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec of the map646 family (uapi/netlink/map646.yaml)
says what the code does:
  - it is valid against the kernel's genetlink-legacy schema (from
    build/ynl, which selftests/vm/setup.sh extracts from linux-source-6.12;
    skipped, and said so, when that is not there);
  - its names and numbers are those of uapi/linux/map646.h: family name,
    version, multicast group, every command, every attribute, every counter;
  - each operation's request attributes are exactly those its policy in
    kmod/netlink.c (or kmod/nl_maps.c) accepts, with the same types and checks (min, max,
    exact-len, max-len), and its permission flag is the op's.
With --kernel-policy FILE, the policies compared are instead those a
running kernel reports (FILE: the JSON output of the kernel's ynl
`--spec nlctrl.yaml --dump getpolicy` for family map646; map646_ynl.sh).
Prints one line per mismatch; exit status 1 if there is one.

usage: ynl_spec.py [--kernel-policy FILE] [TOP]
"""
import json
import os
import re
import sys

import yaml

ARGS = sys.argv[1:]
LIVE = ARGS[1] if ARGS[:1] == ["--kernel-policy"] else None
ARGS = ARGS[2:] if LIVE else ARGS
TOP = ARGS[0] if ARGS else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(TOP, "uapi/netlink/map646.yaml")
HEADER = os.path.join(TOP, "uapi/linux/map646.h")
NETLINK_C = os.path.join(TOP, "kmod/netlink.c")
NL_MAPS_C = os.path.join(TOP, "kmod/nl_maps.c")
SCHEMA = os.path.join(TOP, "build/ynl/Documentation/netlink/genetlink-legacy.yaml")
# the few constants the policies use
CONSTANTS = {"IFNAMSIZ": 16, "IPV6_MIN_MTU": 1280,
             "sizeof(struct in_addr)": 4, "sizeof(struct in6_addr)": 16}
NLA_TYPES = {"NLA_U8": "u8", "NLA_U16": "u16", "NLA_U32": "u32",
             "NLA_U64": "u64", "NLA_FLAG": "flag", "NLA_NUL_STRING": "string",
             "NLA_BINARY": "binary"}

problems = []


def problem(text):
    problems.append(text)
    print("ynl_spec: " + text)


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enum(text, name):
    """Members of enum NAME, in order, with their values."""
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    members = re.findall(r"^\s*(\w+)\s*,?", body, re.M)
    return {m: i for i, m in enumerate(members)}


def header_define(text, name):
    m = re.search(r"#define %s\s+(\S+)" % name, text)
    return m.group(1).strip('"') if m else None


def check_schema(spec):
    if not os.path.exists(SCHEMA):
        print("ynl_spec: # schema not checked: no %s (selftests/vm/setup.sh)" % SCHEMA)
        return
    try:
        import jsonschema
    except ImportError:
        print("ynl_spec: # schema not checked: no python3-jsonschema")
        return
    try:
        jsonschema.validate(spec, yaml.safe_load(open(SCHEMA)))
    except jsonschema.ValidationError as e:
        problem("not valid against genetlink-legacy.yaml: %s" % e.message)


def attr_values(aset, sets):
    """{name: (C name, value, attribute)} of an attribute set."""
    if "subset-of" in aset:
        parent = attr_values(sets[aset["subset-of"]], sets)
        return {a["name"]: parent[a["name"]] for a in aset["attributes"]}
    out, value = {}, 1
    for a in aset["attributes"]:
        value = a.get("value", value)
        out[a["name"]] = (c_name(aset["name-prefix"], a["name"]), value, a)
        value += 1
    return out


def check_set(sets, set_name, members, cnt):
    vals = attr_values(sets[set_name], sets)
    got = {cname: value for cname, value, _ in vals.values()}
    want = {m: v for m, v in members.items() if m != cnt}
    if got != want:
        for m in sorted(set(want) | set(got)):
            if want.get(m) != got.get(m):
                problem("%s: %s is %s in the header, %s in the spec" %
                        (set_name, m, want.get(m), got.get(m)))
    aset = sets[set_name]
    if "attr-cnt-name" in aset and aset["attr-cnt-name"].upper().replace("-", "_") != cnt:
        problem("%s: attr-cnt-name is not %s" % (set_name, cnt))
    return vals


def check_header(spec, text):
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    if header_define(text, "MAP646_GENL_NAME") != spec["name"]:
        problem("family name differs from MAP646_GENL_NAME")
    if header_define(text, "MAP646_GENL_VERSION") != str(spec["version"]):
        problem("version differs from MAP646_GENL_VERSION")
    groups = [g["name"] for g in spec["mcast-groups"]["list"]]
    if groups != [header_define(text, "MAP646_GENL_MCGRP_TABLE")]:
        problem("multicast groups %s, header MAP646_GENL_MCGRP_TABLE" % groups)

    cmds = header_enum(text, "map646_cmd")
    ops, value = {}, 1
    for op in spec["operations"]["list"]:
        value = op.get("value", value)
        ops[c_name(spec["operations"]["name-prefix"], op["name"])] = value
        value += 1
    want = {m: v for m, v in cmds.items()
            if m not in ("MAP646_CMD_UNSPEC", "__MAP646_CMD_MAX")}
    for m in sorted(set(want) | set(ops)):
        if want.get(m) != ops.get(m):
            problem("command %s is %s in the header, %s in the spec" %
                    (m, want.get(m), ops.get(m)))

    check_set(sets, "attr", header_enum(text, "map646_attr"), "__MAP646_A_LAST")
    stats = check_set(sets, "stats", header_enum(text, "map646_stat"),
                      "__MAP646_STAT_LAST")
    names = check_set(sets, "stats-names", header_enum(text, "map646_stat"),
                      "__MAP646_STAT_LAST")
    if set(stats) != set(names):
        problem("stats-names does not name every counter of stats")
    check_set(sets, "map-stats", header_enum(text, "map646_map_stat"),
              "__MAP646_MAP_STAT_LAST")

    # enums: the header's members in order, the highest as its _MAX
    for d in spec.get("definitions", []):
        if d["type"] != "enum":
            continue
        members = header_enum(text, d["enum-name"].replace("-", "_"))
        want = [c_name(d["name-prefix"], e) for e in d["entries"]]
        got = [m for m in members if not m.startswith("__")]
        if want != got:
            problem("enum %s: %s in the spec, %s in the header" % (d["name"], want, got))
        CONSTANTS[c_name(d["name-prefix"], "max")] = len(got) - 1


def value_of(expr):
    expr = expr.strip()
    for k, v in CONSTANTS.items():
        expr = expr.replace(k, str(v))
    if not re.fullmatch(r"[0-9 +\-]+", expr):
        raise ValueError("cannot evaluate '%s'" % expr)
    return eval(expr)  # digits, + and - only


def policy_entry(expr):
    """(type, checks) of one nla_policy initializer."""
    expr = " ".join(expr.split())
    m = re.fullmatch(r"NLA_POLICY_(MIN|MAX)\((NLA_\w+), (.+)\)", expr)
    if m:
        return NLA_TYPES[m.group(2)], {m.group(1).lower(): value_of(m.group(3))}
    m = re.fullmatch(r"NLA_POLICY_EXACT_LEN\((.+)\)", expr)
    if m:
        return "binary", {"exact-len": value_of(m.group(1))}
    m = re.fullmatch(r"NLA_POLICY_NESTED_ARRAY\((\w+)\)", expr)
    if m:
        return "nest", {"nested": m.group(1)}
    if re.fullmatch(r"\{ \.type = NLA_REJECT(?:, \.reject_message = .*)? \}", expr):
        return None     # refused (a retired attribute): not accepted
    m = re.fullmatch(r"\{ \.type = (NLA_\w+)(?:, \.len = (.+))? \}", expr)
    if m:
        t = NLA_TYPES[m.group(1)]
        return t, {"max-len": value_of(m.group(2))} if m.group(2) else {}
    raise ValueError("policy entry '%s' not understood" % expr)


def policies(text):
    """{policy name: {attribute C name: (type, checks)}} of the C text."""
    macros = {}
    for m in re.finditer(r"#define (\w+_POLICY)\s*\\\n((?:.*\\\n)*.*\n)", text):
        macros[m.group(1)] = m.group(2).replace("\\\n", "\n")
    out = {}
    for m in re.finditer(r"(?:static )?const struct nla_policy (\w+)\[[^\]]*\] = \{(.*?)\n\};",
                         text, re.S):
        body = m.group(2)
        for name, expansion in macros.items():
            body = re.sub(r"^\s*%s,?\s*$" % name, expansion, body, flags=re.M)
        # an initializer written over several lines: one line
        body = re.sub(r"\{[^{}]*\}", lambda b: " ".join(b.group(0).split()), body)
        entries = {}
        for e in re.finditer(r"\[(MAP646_A_\w+)\] = (.*?)(?:,\s*$|\s*$)", body, re.M):
            entry = policy_entry(e.group(2))
            if entry:
                entries[e.group(1)] = entry
        out[m.group(1)] = entries
    return out


def genl_ops(text):
    """[{cmd, doit, dumpit, policy, flags}] of the genl_ops array."""
    body = re.search(r"static const struct genl_ops \w+\[\] = \{(.*?)\n\};", text, re.S).group(1)
    ops = []
    for block in re.findall(r"\{(.*?)\}", body, re.S):
        fields = dict(re.findall(r"\.(\w+) = ([^,]+),", block))
        ops.append(fields)
    return ops


def check_attr(where, spec_attr, policy):
    ptype, checks = policy
    stype = spec_attr["type"]
    if stype != ptype:
        problem("%s: type %s in the spec, %s in the policy" % (where, stype, ptype))
    want = {k: v for k, v in checks.items() if k != "nested"}
    got = dict(spec_attr.get("checks", {}))
    if want != got:
        problem("%s: checks %s in the spec, %s in the policy" % (where, got, want))


def check_policies(spec, text):
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    attrs = attr_values(sets["attr"], sets)
    by_c = {cname: a for cname, _, a in attrs.values()}
    pols = policies(text)
    prefix = spec["operations"]["name-prefix"]
    ops = {o.get("cmd"): o for o in genl_ops(text)}
    for op in spec["operations"]["list"]:
        cmd = c_name(prefix, op["name"])
        kop = ops.get(cmd)
        if not kop:
            problem("%s: no genl_ops entry" % cmd)
            continue
        if ("do" in op) != ("doit" in kop) or ("dump" in op) != ("dumpit" in kop):
            problem("%s: do/dump in the spec differ from doit/dumpit" % cmd)
        flags = "GENL_UNS_ADMIN_PERM" in kop.get("flags", "")
        if flags != ("uns-admin-perm" in op.get("flags", [])):
            problem("%s: uns-admin-perm differs from GENL_UNS_ADMIN_PERM" % cmd)
        pol = pols.get(kop.get("policy"))
        if pol is None:
            problem("%s: policy %s not found" % (cmd, kop.get("policy")))
            continue
        req = (op.get("do") or op.get("dump"))["request"]["attributes"]
        want = {c_name("map646-a-", a) for a in req}
        if want != set(pol):
            problem("%s: request attributes %s in the spec, policy %s accepts %s" %
                    (cmd, sorted(want), kop["policy"], sorted(pol)))
        for cname in sorted(want & set(pol)):
            check_attr("%s %s" % (cmd, cname), by_c[cname], pol[cname])
            nested = pol[cname][1].get("nested")
            if nested:
                check_nested(cmd, cname, by_c[cname], pols[nested], sets, attrs)


def check_nested(cmd, cname, spec_attr, entry_pol, sets, attrs):
    """A NESTED_ARRAY: the entry nest's set holds what its policy checks."""
    inner = attr_values(sets[spec_attr["nested-attributes"]], sets)
    for _, _, entry in inner.values():
        if not entry.get("multi-attr"):
            problem("%s %s: %s is not multi-attr" % (cmd, cname, entry["name"]))
            continue
        members = attr_values(sets[entry["nested-attributes"]], sets)
        by_c = {c: a for c, _, a in members.values()}
        for c in entry_pol:
            if c not in by_c:
                problem("%s %s: %s not in the spec's entry set" % (cmd, cname, c))
            else:
                check_attr("%s %s %s" % (cmd, cname, c), by_c[c], entry_pol[c])


# the ranges a kernel reports for a type without a min or max check
TYPE_RANGE = {"u8": (0, 255), "u16": (0, 65535), "u32": (0, 4294967295)}
LIVE_TYPES = {"string": "nul-string", "nest": "nested-array"}


def live_attr(where, spec_attr, k):
    """Compare one attribute of the spec with the kernel's report of it."""
    stype = LIVE_TYPES.get(spec_attr["type"], spec_attr["type"])
    if stype != k.get("type"):
        problem("%s: type %s in the spec, %s in the kernel" % (where, stype, k.get("type")))
        return
    checks = spec_attr.get("checks", {})
    if stype in TYPE_RANGE:
        lo, hi = TYPE_RANGE[stype]
        want = (checks.get("min", lo), checks.get("max", hi))
        got = (k.get("min-value-u"), k.get("max-value-u"))
    elif "exact-len" in checks:
        want = (checks["exact-len"], checks["exact-len"])
        got = (k.get("min-length"), k.get("max-length"))
    else:
        want, got = checks.get("max-len"), k.get("max-length")
    if want != got:
        problem("%s: %s in the spec, %s in the kernel" % (where, want, got))


def check_live(spec, dump):
    """The spec against the policies a running kernel reports."""
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    attrs = attr_values(sets["attr"], sets)
    by_value = {v: a for _, v, a in attrs.values()}
    ops = {m["op-policy"]["op-id"]: m["op-policy"] for m in dump if "op-policy" in m}
    pols = {}
    for m in dump:
        if "policy" in m:
            pols.setdefault(m["policy"]["policy-id"], {})[m["policy"]["attr-id"]] = m["policy"]
    value = 1
    for op in spec["operations"]["list"]:
        value = op.get("value", value)
        kop, name, value = ops.get(value, {}), op["name"], value + 1
        idx = kop.get("do" if "do" in op else "dump")
        if idx is None:
            problem("%s: the kernel reports no policy" % name)
            continue
        req = (op.get("do") or op.get("dump"))["request"]["attributes"]
        want = {attrs[a][1] for a in req}
        if want != set(pols.get(idx, {})):
            problem("%s: request attributes %s in the spec, the kernel accepts %s" %
                    (name, sorted(want), sorted(pols.get(idx, {}))))
        for v in sorted(want & set(pols.get(idx, {}))):
            k = pols[idx][v]
            live_attr("%s %s" % (name, by_value[v]["name"]), by_value[v], k)
            if "policy-idx" in k:	# a nested array: its entries' attributes
                inner = attr_values(sets[by_value[v]["nested-attributes"]], sets)
                for _, _, entry in inner.values():
                    members = attr_values(sets[entry["nested-attributes"]], sets)
                    mby = {mv: a for _, mv, a in members.values()}
                    for iv, ik in pols.get(k["policy-idx"], {}).items():
                        if iv not in mby:
                            problem("%s: entry attribute %d not in the spec" % (name, iv))
                        else:
                            live_attr("%s %s" % (name, mby[iv]["name"]), mby[iv], ik)


def main():
    spec = yaml.safe_load(open(SPEC))
    if LIVE:
        check_live(spec, json.load(open(LIVE)))
        print("ynl_spec: %s" % ("%d mismatches" % len(problems) if problems else
                                "spec and the running kernel's policies agree"))
        return 1 if problems else 0
    check_schema(spec)
    check_header(spec, open(HEADER).read())
    try:
        check_policies(spec, open(NETLINK_C).read() + open(NL_MAPS_C).read())
    except ValueError as e:
        problem(str(e))
    print("ynl_spec: %s" % ("%d mismatches" % len(problems) if problems else
                            "spec, header and policies agree"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
