"""The one YAML loader: every YAML the tool reads (configuration, packs, templates,
Markdown front matter) goes through :func:`load_yaml`, which bounds aliases."""

from __future__ import annotations

from typing import Any

import yaml

from checker.i18n import tr

# libyaml's parser when PyYAML was built with it (the wheels are): the shipped packs load
# in a tenth of the time, which every run pays before it checks anything
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a mapping that names a key twice (YAML says keys are
    unique; PyYAML would silently keep the last one, and a setting would vanish)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key '{key}'", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


_LOADER = _Loader


# Values an alias (``*name``) may add to a document, all aliases together. An anchor bomb
# (``b: [*a, *a, …]`` nine levels deep) expands to hundreds of millions of values when
# anything walks the data (M112 printed one): every YAML the tool reads, front matter,
# configuration, packs and templates, goes through :func:`load_yaml`.
MAX_ALIAS_VALUES = 10_000


class AliasBomb(yaml.YAMLError):
    """A YAML document whose aliases expand beyond :data:`MAX_ALIAS_VALUES` or refer to
    themselves."""


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` (the C parser where there is one) with aliases bounded: the node
    graph is composed first and measured, and an AliasBomb raised before anything is
    built when its aliases would expand it by more than :data:`MAX_ALIAS_VALUES` values
    or make it recursive."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _bound_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _bound_aliases(root: yaml.Node) -> None:
    """AliasBomb when the tree ``root`` expands to (a node reached twice is an alias) is
    more than :data:`MAX_ALIAS_VALUES` nodes larger than the graph, or has a cycle.
    Iterative, each node measured once."""
    size: dict[int, int] = {}
    active: set[int] = set()
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] - distinct > MAX_ALIAS_VALUES:
                raise AliasBomb(tr("yaml.alias-bomb", limit=MAX_ALIAS_VALUES))
            continue
        if key in size:
            continue
        distinct += 1
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                raise AliasBomb(tr("yaml.alias-recursive"))
            if id(child) not in size:
                stack.append((child, False))
