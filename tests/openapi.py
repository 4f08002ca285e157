"""The published API as the tests walk it: every operation of /api/openapi.json with its
parameters and body, and plausible values built from the schema itself, so a new endpoint is
walked without anyone listing it."""

import re
from dataclasses import dataclass

from django.utils import timezone

METHODS = ("get", "post", "put", "patch", "delete")


def published(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


@dataclass
class Operation:
    method: str
    path: str
    spec: dict
    document: dict

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def query_params(self) -> list[dict]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == "query"]

    @property
    def body(self) -> tuple[str, dict] | None:
        """(content type, resolved schema) of the request body, if it takes one."""
        content = self.spec.get("requestBody", {}).get("content", {})
        for content_type, media in content.items():
            return content_type, resolve(self.document, media["schema"])
        return None

    @property
    def takes_json(self) -> bool:
        return self.body is not None and self.body[0] == "application/json"

    @property
    def is_write(self) -> bool:
        return self.method != "get"

    def url(self, values: dict) -> str:
        return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), self.path)


def operations(document: dict) -> list[Operation]:
    return [
        Operation(method, path, spec, document)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = document["components"]["schemas"][name]
    if len(node.get("allOf", [])) == 1:
        return resolve(document, node["allOf"][0])
    return node


def example(document: dict, node: dict, fill=lambda name, node: None, name: str = ""):
    """A plausible value of a JSON schema: every property of an object, one item of a list;
    `fill(name, node)` may give a value of its own (an identifier, say) before the default."""
    node = resolve(document, node)
    given = fill(name, node)
    if given is not None:
        return given
    for choice in node.get("anyOf", []):
        if choice.get("type") != "null":
            return example(document, choice, fill, name)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {
            key: example(document, sub, fill, key)
            for key, sub in node.get("properties", {}).items()
        }
    if kind == "array":
        return [example(document, node.get("items", {}), fill, name)]
    if "default" in node and node["default"] is not None:
        return node["default"]
    if "enum" in node:
        return node["enum"][0]
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return timezone.localdate().isoformat()
    if node.get("format") == "date-time":
        return timezone.now().isoformat()
    return "sweep"
