"""Lists the crates linked into the specwatch binary with their licences, from
`cargo metadata` on stdin: the normal (non-dev, non-build) dependency closure of the
specwatch package. Output: /usr/share/doc/specwatch/THIRD-PARTY-LICENSES."""
import json
import sys

meta = json.load(sys.stdin)
pkgs = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = next(p["id"] for p in meta["packages"] if p["name"] == "specwatch")
seen, stack = set(), [root]
while stack:
    pid = stack.pop()
    if pid in seen:
        continue
    seen.add(pid)
    for dep in nodes[pid]["deps"]:
        if any(k["kind"] is None for k in dep["dep_kinds"]):
            stack.append(dep["pkg"])
seen.discard(root)
rows = sorted((pkgs[i]["name"], pkgs[i]["version"], pkgs[i].get("license") or
               ("see " + pkgs[i]["license_file"] if pkgs[i].get("license_file") else "UNKNOWN"))
              for i in seen)
print("specwatch is licensed under MIT OR Apache-2.0. It statically links the following")
print(f"{len(rows)} crates (name, version, SPDX licence expression), each under its own licence;")
print("their full licence texts are in each crate's source on crates.io.\n")
for name, version, lic in rows:
    print(f"{name} {version}: {lic}")
