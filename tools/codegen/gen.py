#!/usr/bin/env python3
"""Generates src/gen/ from botocore's service models and tools/codegen/manifest.json.

  python3 tools/codegen/gen.py           # (re)write src/gen/
  python3 tools/codegen/gen.py --check   # exit 1 when the committed files differ

Per service it writes src/gen/<service>/model.cc (static model tables, see
src/aws/protocol/model.h) and src/gen/<service>/errors.h (one error factory per error shape
of an implemented operation); src/gen/models.{h,cc} declare and look the services up.
Every operation of a service is listed; shapes are emitted only when reachable from an
implemented operation (input, output, errors). Output is sorted and stable.
Standard library only.
"""

import argparse
import gzip
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST = os.path.join(ROOT, "tools", "codegen", "manifest.json")
GEN_DIR = os.path.join(ROOT, "src", "gen")

SHAPE_TYPES = {
    "structure": "Structure",
    "list": "List",
    "map": "Map",
    "string": "String",
    "integer": "Integer",
    "long": "Long",
    "float": "Float",
    "double": "Double",
    "boolean": "Boolean",
    "timestamp": "Timestamp",
    "blob": "Blob",
}

LOCATIONS = {
    None: "Body",
    "header": "Header",
    "headers": "Headers",
    "querystring": "QueryString",
    "uri": "Uri",
    "statusCode": "StatusCode",
}

PROTOCOLS = {"json": "Json", "query": "Query", "rest-xml": "RestXml", "rest-json": "RestJson"}


def botocore_info():
    import botocore  # only needed to locate the models

    return botocore.__version__, os.path.join(os.path.dirname(botocore.__file__), "data")


def load_json(path):
    """A botocore data file, plain or gzip-compressed; None when neither exists."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    return None


def deep_merge(base, extra):
    """botocore.utils.deep_merge: extra's keys win, dicts merge recursively."""
    for key, value in extra.items():
        if isinstance(base.get(key), dict) and isinstance(value, dict):
            deep_merge(base[key], value)
        else:
            base[key] = value


def load_model(data_dir, service, version):
    """service-2.json with its sdk-extras merged in, as botocore's Loader does (S3's Expires
    header is a timestamp only through service-2.sdk-extras.json)."""
    directory = os.path.join(data_dir, service, version)
    model = load_json(os.path.join(directory, "service-2.json"))
    if model is None:
        raise SystemExit("%s %s: no service-2.json in %s" % (service, version, directory))
    extras = load_json(os.path.join(directory, "service-2.sdk-extras.json"))
    if extras and "merge" in extras:
        deep_merge(model, extras["merge"])
    return model


def cpp_string(s):
    """A C++ string literal holding the UTF-8 bytes of s (octal escapes: never greedy)."""
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "?":
            out.append("\\?")  # no trigraphs
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out)


def cpp_bool(value):
    return "true" if value else "false"


def java_pattern_text(pattern):
    """Keeps patterns ASCII: non-ASCII characters become Java \\uXXXX escapes."""
    out = []
    for ch in pattern:
        cp = ord(ch)
        if cp < 0x80 and (cp >= 0x20 or ch in "\t"):
            out.append(ch)
        elif cp <= 0xFFFF:
            out.append("\\u%04X" % cp)
        else:
            cp -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
    return "".join(out)


def integer_bound(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    # float bounds (rare, on doubles): keep the integral part, it is what we can check
    return int(value)


def reachable_shapes(model, operations):
    shapes = model["shapes"]
    seen = set()
    stack = []
    for name in operations:
        op = model["operations"][name]
        for key in ("input", "output"):
            if key in op:
                stack.append(op[key]["shape"])
        for err in op.get("errors", []):
            stack.append(err["shape"])
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        for member in shape.get("members", {}).values():
            stack.append(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                stack.append(shape[key]["shape"])
    return sorted(seen)


def error_info(model, protocol, name):
    shape = model["shapes"][name]
    error = shape.get("error", {})
    if "senderFault" in error:
        sender = bool(error["senderFault"])
    elif shape.get("fault"):
        sender = False
    else:
        sender = error.get("httpStatusCode", 400) < 500  # e.g. IAM ServiceFailure: 500, no senderFault
    status = error.get("httpStatusCode", 400 if sender else 500)
    if protocol == "query" and "code" in error:
        code = error["code"]
    else:
        code = name
    return code, status, sender


def xml_namespace_init(value):
    """A model::XmlNamespace initializer for an xmlNamespace trait (a dict or a bare uri)."""
    if not value:
        return "{}"
    if isinstance(value, dict):
        uri, prefix = value.get("uri", ""), value.get("prefix", "")
    else:
        uri, prefix = value, ""
    return "{%s, %s}" % (cpp_string(uri), cpp_string(prefix))


def member_trait(shapes, ref, trait, default=None):
    """A serialization trait as botocore resolves it: the member ref's own, else its target shape's."""
    if trait in ref:
        return ref[trait]
    return shapes[ref["shape"]].get(trait, default)


def rest_route_requirements(model, op):
    """Wire names of the input's required querystring members and required headers."""
    query, headers = [], []
    if "input" not in op:
        return query, headers
    shape = model["shapes"][op["input"]["shape"]]
    required = set(shape.get("required", []))
    for member_name, member in shape.get("members", {}).items():
        if member_name not in required:
            continue
        wire = member.get("locationName", member_name)
        if member.get("location") == "querystring":
            query.append(wire)
        elif member.get("location") == "header":
            headers.append(wire)
    return query, headers


def ident(name):
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name)


class ServiceGen:
    def __init__(self, service, version, model, implemented, botocore_version, xml_names=None):
        self.service = service
        self.version = version
        self.model = model
        self.meta = model["metadata"]
        self.protocol = self.meta["protocol"]
        missing = [op for op in implemented if op not in model["operations"]]
        if missing:
            raise SystemExit("%s: manifest names unknown operations: %s" % (service, ", ".join(missing)))
        self.implemented = sorted(set(implemented))
        self.botocore_version = botocore_version
        self.shape_names = reachable_shapes(model, self.implemented)
        self.index = {name: i for i, name in enumerate(self.shape_names)}
        if len(self.shape_names) >= 0xFFFF:
            raise SystemExit("%s: too many shapes" % service)
        # Root element names that botocore's JSON drops (Smithy's @xmlName on output
        # structures, e.g. ListObjectsV2Output -> ListBucketResult); from the manifest.
        self.xml_names = dict(xml_names or {})
        unknown = sorted(n for n in self.xml_names if n not in self.index)
        if unknown:
            raise SystemExit("%s: manifest xml_names for shapes no implemented operation reaches: %s" %
                             (service, ", ".join(unknown)))
        if self.protocol == "rest-xml":
            self.check_xml_roots()

    def check_xml_roots(self):
        """An output document's root element must be known: the shape's locationName, a manifest
        xml_names entry, or a shape not named like a synthetic "...Output" wrapper."""
        shapes = self.model["shapes"]
        for op_name in self.implemented:
            op = self.model["operations"][op_name]
            if "output" not in op:
                continue
            name = op["output"]["shape"]
            shape = shapes[name]
            if "payload" in shape or not any("location" not in m for m in shape.get("members", {}).values()):
                continue
            if "locationName" not in shape and name not in self.xml_names and name.endswith("Output"):
                raise SystemExit("%s.%s: add the root element name of %s to manifest xml_names" %
                                 (self.service, op_name, name))

    def banner(self):
        return "// GENERATED by tools/codegen/gen.py from botocore %s. Do not edit.\n" % self.botocore_version

    def signing_name(self):
        return self.meta.get("signingName") or self.meta.get("endpointPrefix") or self.service

    def model_cc(self):
        shapes = self.model["shapes"]
        lines = [self.banner(), '#include "gen/models.h"', "", "namespace gen {", "namespace {", "",
                 "using model::kNoShape;", "using model::Location;", "using model::Member;", "using model::Operation;",
                 "using model::Shape;", "using model::ShapeType;", ""]
        # enums and members
        for name in self.shape_names:
            shape = shapes[name]
            if "enum" in shape:
                values = ", ".join(cpp_string(v) for v in shape["enum"])
                lines.append("constexpr std::string_view kEnum_%s[] = {%s};" % (ident(name), values))
            if shape["type"] == "structure" and shape.get("members"):
                required = set(shape.get("required", []))
                lines.append("constexpr Member kMembers_%s[] = {" % ident(name))
                for member_name, member in shape["members"].items():
                    location = member.get("location")
                    if location not in LOCATIONS:
                        raise SystemExit("%s.%s: unknown location %r" % (name, member_name, location))
                    fields = [
                        cpp_string(member_name),
                        str(self.index[member["shape"]]),
                        cpp_bool(member_name in required),
                        "Location::" + LOCATIONS[location],
                        cpp_string(member_trait(shapes, member, "locationName", "")),
                        cpp_bool(member.get("xmlAttribute")),
                        cpp_bool(member.get("flattened")),
                        cpp_bool(member.get("idempotencyToken")),
                        cpp_bool(member_trait(shapes, member, "streaming")),
                        cpp_bool(member_trait(shapes, member, "jsonvalue")),
                        cpp_string(member_trait(shapes, member, "timestampFormat", "")),
                        xml_namespace_init(member_trait(shapes, member, "xmlNamespace")),
                    ]
                    lines.append("    {%s}," % ", ".join(fields))
                lines.append("};")
        lines.append("")
        # shapes
        if self.shape_names:
            lines.append("constexpr Shape kShapes[] = {")
            for name in self.shape_names:
                lines.append("    %s," % self.shape_initializer(name, shapes[name]))
            lines.append("};")
            lines.append("")
        # rest routing requirements (every operation)
        for op_name in sorted(self.model["operations"]):
            query, headers = rest_route_requirements(self.model, self.model["operations"][op_name])
            if query:
                lines.append("constexpr std::string_view kRequiredQuery_%s[] = {%s};" %
                             (ident(op_name), ", ".join(cpp_string(q) for q in query)))
            if headers:
                lines.append("constexpr std::string_view kRequiredHeaders_%s[] = {%s};" %
                             (ident(op_name), ", ".join(cpp_string(h) for h in headers)))
        # operation errors
        for op_name in self.implemented:
            errors = self.model["operations"][op_name].get("errors", [])
            if errors:
                indices = ", ".join(str(self.index[e["shape"]]) for e in errors)
                lines.append("constexpr uint16_t kErrors_%s[] = {%s};" % (ident(op_name), indices))
        lines.append("")
        lines.append("constexpr Operation kOperations[] = {")
        implemented = set(self.implemented)
        for op_name in sorted(self.model["operations"]):
            op = self.model["operations"][op_name]
            http = op.get("http", {})
            is_impl = op_name in implemented
            errors = op.get("errors", []) if is_impl else []
            fields = [
                cpp_string(op_name),
                str(self.index[op["input"]["shape"]]) if is_impl and "input" in op else "kNoShape",
                str(self.index[op["output"]["shape"]]) if is_impl and "output" in op else "kNoShape",
                cpp_string(op.get("output", {}).get("resultWrapper", "")),
                cpp_string(http.get("method", "POST")),
                cpp_string(http.get("requestUri", "/")),
                str(http.get("responseCode", 200)),
                "kErrors_%s" % ident(op_name) if errors else "nullptr",
                str(len(errors)),
            ]
            query, headers = rest_route_requirements(self.model, op)
            fields += [
                cpp_bool(op.get("deprecated")),
                "kRequiredQuery_%s" % ident(op_name) if query else "nullptr",
                str(len(query)),
                "kRequiredHeaders_%s" % ident(op_name) if headers else "nullptr",
                str(len(headers)),
            ]
            lines.append("    {%s}," % ", ".join(fields))
        lines.append("};")
        lines.append("")
        meta = self.meta
        fields = [
            cpp_string(meta.get("serviceId", self.service)),
            cpp_string(self.signing_name()),
            cpp_string(meta.get("endpointPrefix", "")),
            cpp_string(meta.get("targetPrefix", "")),
            cpp_string(meta.get("jsonVersion", "")),
            cpp_string(meta.get("apiVersion", self.version)),
            cpp_string(self.xml_namespace()),
            "model::Protocol::%s" % PROTOCOLS[self.protocol],
            "kShapes" if self.shape_names else "nullptr",
            str(len(self.shape_names)),
            "kOperations",
            str(len(self.model["operations"])),
        ]
        lines.append("constexpr model::ServiceModel kModel = {")
        for f in fields:
            lines.append("    %s," % f)
        lines.append("};")
        lines.append("")
        lines.append("}  // namespace")
        lines.append("")
        lines.append("const model::ServiceModel& %s_model() { return kModel; }" % ident(self.service))
        lines.append("")
        lines.append("}  // namespace gen")
        return "\n".join(lines) + "\n"

    def xml_namespace(self):
        ns = self.meta.get("xmlNamespace", "")
        if isinstance(ns, dict):
            ns = ns.get("uri", "")
        if not ns and self.protocol == "rest-xml":
            ns = "http://%s.amazonaws.com/doc/%s/" % (self.meta.get("endpointPrefix", self.service),
                                                      self.meta.get("apiVersion", self.version))
        return ns

    def shape_initializer(self, name, shape):
        shapes = self.model["shapes"]
        kind = shape["type"]
        if kind not in SHAPE_TYPES:
            raise SystemExit("%s: unsupported shape type %r" % (name, kind))
        has_members = kind == "structure" and bool(shape.get("members"))
        list_member = shape.get("member", {})
        map_key = shape.get("key", {})
        map_value = shape.get("value", {})
        is_error = bool(shape.get("exception"))
        code, status, sender = error_info(self.model, self.protocol, name) if is_error else ("", 0, False)
        fields = [
            cpp_string(name),
            "ShapeType::" + SHAPE_TYPES[kind],
            "kMembers_%s" % ident(name) if has_members else "nullptr",
            str(len(shape["members"])) if has_members else "0",
            str(self.index[list_member["shape"]]) if kind == "list" else "kNoShape",
            cpp_string(member_trait(shapes, list_member, "locationName", "member")) if kind == "list" else '""',
            str(self.index[map_key["shape"]]) if kind == "map" else "kNoShape",
            str(self.index[map_value["shape"]]) if kind == "map" else "kNoShape",
            cpp_string(member_trait(shapes, map_key, "locationName", "key")) if kind == "map" else '""',
            cpp_string(member_trait(shapes, map_value, "locationName", "value")) if kind == "map" else '""',
            cpp_bool(shape.get("flattened")),
            cpp_bool("min" in shape),
            str(integer_bound(shape.get("min", 0))),
            cpp_bool("max" in shape),
            str(integer_bound(shape.get("max", 0))),
            cpp_string(java_pattern_text(shape.get("pattern", ""))),
            "kEnum_%s" % ident(name) if "enum" in shape else "nullptr",
            str(len(shape.get("enum", []))),
            cpp_string(shape.get("timestampFormat", "")),
            cpp_bool(shape.get("sensitive")),
            cpp_bool(is_error),
            cpp_string(code),
            str(status),
            cpp_bool(sender),
            cpp_string(shape.get("payload", "")),
            cpp_string(shape.get("locationName", self.xml_names.get(name, ""))),
            xml_namespace_init(shape.get("xmlNamespace")),
            cpp_bool(shape.get("streaming")),
        ]
        return "{%s}" % ", ".join(fields)

    def errors_h(self):
        names = set()
        for op_name in self.implemented:
            for err in self.model["operations"][op_name].get("errors", []):
                names.add(err["shape"])
        lines = [self.banner(), "#pragma once", "", "#include <string>", "#include <utility>", "",
                 '#include "aws/protocol/aws_error.h"', "", "namespace %s::errors {" % ident(self.service), ""]
        factories = []
        taken = set(names)
        for name in sorted(names):
            code, status, sender = error_info(self.model, self.protocol, name)
            factories.append((name, code, status, sender))
            # Query services' wire codes differ from shape names (NoSuchEntityException ->
            # NoSuchEntity); offer the wire code as a second spelling when it is free.
            alias = ident(code)
            if alias != name and alias not in taken:
                taken.add(alias)
                factories.append((alias, code, status, sender))
        for fname, code, status, sender in sorted(factories):
            lines.append("inline aws::AwsError %s(std::string message) {" % ident(fname))
            lines.append("  return aws::make_aws_error(%s, %d, std::move(message), %s);" %
                         (cpp_string(code), status, "true" if sender else "false"))
            lines.append("}")
        if factories:
            lines.append("")
        lines.append("}  // namespace %s::errors" % ident(self.service))
        return "\n".join(lines) + "\n"


def models_h(services, botocore_version):
    lines = ["// GENERATED by tools/codegen/gen.py from botocore %s. Do not edit." % botocore_version,
             "#pragma once", "", "#include <span>", "#include <string_view>", "",
             '#include "aws/protocol/model.h"', "", "namespace gen {", ""]
    for service in services:
        lines.append("const model::ServiceModel& %s_model();" % ident(service))
    lines += [
        "",
        "// Every generated service, in a fixed order.",
        "std::span<const model::ServiceModel* const> all_models();",
        "// JSON protocol: the X-Amz-Target prefix before '.' (\"AmazonSSM\"); nullptr when unknown.",
        "const model::ServiceModel* find_model_by_target_prefix(std::string_view prefix);",
        "// The SigV4 credential scope's service (\"iam\", \"elasticloadbalancing\"); nullptr when unknown.",
        "const model::ServiceModel* find_model_by_signing_name(std::string_view name);",
        "",
        "}  // namespace gen",
    ]
    return "\n".join(lines) + "\n"


def models_cc(services, botocore_version):
    lines = ["// GENERATED by tools/codegen/gen.py from botocore %s. Do not edit." % botocore_version,
             '#include "gen/models.h"', "", "namespace gen {", "",
             "std::span<const model::ServiceModel* const> all_models() {",
             "  static const model::ServiceModel* const kAll[] = {"]
    for service in services:
        lines.append("      &%s_model()," % ident(service))
    lines += [
        "  };",
        "  return kAll;",
        "}",
        "",
        "const model::ServiceModel* find_model_by_target_prefix(std::string_view prefix) {",
        "  if (prefix.empty()) {",
        "    return nullptr;",
        "  }",
        "  for (const model::ServiceModel* m : all_models()) {",
        "    if (m->target_prefix == prefix) {",
        "      return m;",
        "    }",
        "  }",
        "  return nullptr;",
        "}",
        "",
        "const model::ServiceModel* find_model_by_signing_name(std::string_view name) {",
        "  for (const model::ServiceModel* m : all_models()) {",
        "    if (m->signing_name == name) {",
        "      return m;",
        "    }",
        "  }",
        "  return nullptr;",
        "}",
        "",
        "}  // namespace gen",
    ]
    return "\n".join(lines) + "\n"


def generate():
    with open(MANIFEST) as f:
        manifest = json.load(f)
    botocore_version, data_dir = botocore_info()
    files = {}
    services = sorted(manifest["services"])
    for service in services:
        entry = manifest["services"][service]
        model = load_model(data_dir, service, entry["version"])
        gen = ServiceGen(service, entry["version"], model, entry.get("operations", []), botocore_version,
                         entry.get("xml_names"))
        files[os.path.join(service, "model.cc")] = gen.model_cc()
        files[os.path.join(service, "errors.h")] = gen.errors_h()
    files["models.h"] = models_h(services, botocore_version)
    files["models.cc"] = models_cc(services, botocore_version)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if src/gen/ is not up to date")
    args = parser.parse_args()
    files = generate()
    stale = []
    for rel, text in sorted(files.items()):
        path = os.path.join(GEN_DIR, rel)
        try:
            with open(path, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        stale.append(rel)
        if not args.check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    # Files under src/gen/ that the generator no longer produces (a service was dropped).
    extra = []
    for dirpath, _, filenames in os.walk(GEN_DIR):
        for filename in filenames:
            rel = os.path.relpath(os.path.join(dirpath, filename), GEN_DIR)
            if rel not in files:
                extra.append(rel)
    for rel in sorted(extra):
        stale.append(rel)
        if not args.check:
            os.remove(os.path.join(GEN_DIR, rel))
            print("removed src/gen/" + rel)
    if args.check:
        if stale:
            print("src/gen is out of date (run python3 tools/codegen/gen.py):", file=sys.stderr)
            for rel in stale:
                print("  src/gen/" + rel, file=sys.stderr)
            return 1
        return 0
    for rel in stale:
        if rel in files:
            print("wrote src/gen/" + rel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
