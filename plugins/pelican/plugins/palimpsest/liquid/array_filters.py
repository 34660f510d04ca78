"""Jekyll's array filters (jekyll/filters.rb, 4.3): ``where``, ``where_exp``, ``find``, ``find_exp``,
``group_by``, ``group_by_exp``, ``sort``, ``sample``, ``push``, ``pop``, ``shift``, ``unshift``.

They differ from Shopify's (python-liquid's) in ways a theme depends on: a property may be a path
(``author.name``), numbers written as text compare as numbers, a list property matches any of its
items, ``sort`` puts items without the property first (``"last"`` to put them last), and the
``_exp`` forms take a Liquid expression (filters included) evaluated with the item bound to a name.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import re
from collections.abc import Mapping
from typing import Any

from liquid.builtin.expressions import BooleanExpression, FilteredExpression, tokenize
from liquid.exceptions import FilterArgumentError, LiquidError
from liquid.filter import with_context
from liquid.stream import TokenStream
from liquid.token import TOKEN_EXPRESSION, Token
from liquid.undefined import is_undefined

from ..jekyll.values import ruby_text

__all__ = ["ARRAY_FILTERS"]

_INTEGER_LIKE = re.compile(r"\A\s*-?\d+\s*\Z")
_FLOAT_LIKE = re.compile(r"\A\s*-?(?:\d+\.?\d*|\.\d+)\s*\Z")


def _sort_input(value: object) -> object:
    """filters.rb's parse_sort_input: text that reads as a number is that number."""
    if isinstance(value, (bool, list, dict)) or value is None:
        return value
    text = ruby_text(value)
    if _INTEGER_LIKE.match(text):
        return int(text)
    if _FLOAT_LIKE.match(text):
        return float(text)
    return value


def _lookup(item: object, key: str) -> object:
    """Ruby's ``item[key]`` for what Liquid holds; a number indexed by text is Ruby's TypeError."""
    if isinstance(item, Mapping):
        try:
            return item[key]
        except KeyError:
            return None
    if isinstance(item, int) and not isinstance(item, bool):
        raise FilterArgumentError("no implicit conversion of String into Integer", token=None)
    return None


def _has_index(value: object) -> bool:
    """Ruby's ``respond_to?(:[])``: hashes, arrays, text and integers."""
    return isinstance(value, (Mapping, list, tuple, str, int)) and not isinstance(value, bool)


def item_property(item: object, prop: object) -> object:
    """filters.rb's item_property: the item's *prop*, a dotted path read step by step (a step
    on nothing is ``false``), a number written as text made a number."""
    name = ruby_text(prop)
    if "." not in name:
        return _sort_input(_lookup(item, name))
    value: object = item
    for part in name.split("."):
        value = _lookup(value, part) if _has_index(value) else False
    return _sort_input(value)


def _items(values: object) -> list[Any] | None:
    """The items a filter selects from (a hash's values, as Jekyll), or None if not a collection."""
    if isinstance(values, Mapping):
        return list(values.values())
    if isinstance(values, (list, tuple)):
        return list(values)
    return None


def _matches(prop: object, target: object) -> bool:
    """filters.rb's compare_property_vs_target."""
    if target is None:
        return prop is None
    text = ruby_text(target)
    if isinstance(prop, str):
        return prop == text
    values = prop if isinstance(prop, list) else [] if prop is None else [prop]
    return any(ruby_text(value) == text for value in values)


def where(values: object, prop: object = None, target: object = None) -> object:
    """Items whose *prop* is *target* (as text; a list property matches any of its items)."""
    items = _items(values)
    if not prop or isinstance(target, (list, dict)) or items is None:
        return values
    return [item for item in items if _matches(item_property(item, prop), target)]


def find(values: object, prop: object = None, target: object = None) -> object:
    """The first item ``where`` would select, or nil."""
    items = _items(values)
    if not prop or isinstance(target, (list, dict)) or items is None:
        return values
    return next((item for item in items if _matches(item_property(item, prop), target)), None)


def _expression_token(expression: str) -> Token:
    return Token(TOKEN_EXPRESSION, expression, 0, expression)


@functools.lru_cache(maxsize=256)
def _tokens(expression: str) -> tuple[Token, ...]:
    return tuple(tokenize(expression, _expression_token(expression)))


def _condition(context: Any, expression: object) -> BooleanExpression:
    try:
        return BooleanExpression.parse(context.env, TokenStream(iter(_tokens(ruby_text(expression)))))
    except LiquidError as err:
        raise FilterArgumentError(f"invalid expression {ruby_text(expression)!r}: {err.message}", token=None) from None


def _selected(values: object, variable: object, expression: object, context: Any) -> list[Any] | None:
    items = _items(values)
    if items is None:
        return None
    condition = _condition(context, expression)
    name = ruby_text(variable)
    selected = []
    for item in items:
        with context.extend({name: item}):
            if condition.evaluate(context):
                selected.append(item)
    return selected


@with_context
def where_exp(values: object, variable: object, expression: object, *, context: Any) -> object:
    """Items for which the Liquid condition *expression* holds, the item named *variable*."""
    selected = _selected(values, variable, expression, context)
    return values if selected is None else selected


@with_context
def find_exp(values: object, variable: object, expression: object, *, context: Any) -> object:
    """The first item for which *expression* holds, or nil."""
    items = _items(values)
    if items is None:
        return values
    condition = _condition(context, expression)
    name = ruby_text(variable)
    for item in items:
        with context.extend({name: item}):
            if condition.evaluate(context):
                return item
    return None


def _grouped(groups: dict[Any, list[Any]]) -> list[dict[str, Any]]:
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def _group_items(values: object) -> list[Any] | None:
    """What ``group_by`` walks: a list, or a hash's [key, value] pairs (Ruby's Hash#group_by)."""
    if isinstance(values, Mapping):
        return [[key, value] for key, value in values.items()]
    return list(values) if isinstance(values, (list, tuple)) else None


def group_by(values: object, prop: object = None) -> object:
    """``{name, items, size}`` for each distinct *prop* (as text), in the order first seen."""
    items = _group_items(values)
    if items is None:
        return values
    groups: dict[Any, list[Any]] = {}
    for item in items:
        groups.setdefault(ruby_text(item_property(item, prop)), []).append(item)
    return _grouped(groups)


@with_context
def group_by_exp(values: object, variable: object, expression: object, *, context: Any) -> object:
    """``group_by`` on the value of a Liquid expression (filters allowed: ``post.date | date: "%Y"``)."""
    items = _group_items(values)
    if items is None:
        return values
    try:
        parsed = FilteredExpression.parse(context.env, TokenStream(iter(_tokens(ruby_text(expression)))))
    except LiquidError as err:
        raise FilterArgumentError(f"invalid expression {ruby_text(expression)!r}: {err.message}", token=None) from None
    name = ruby_text(variable)
    groups: dict[Any, list[Any]] = {}
    for item in items:
        with context.extend({name: item}):
            key = parsed.evaluate(context)
        groups.setdefault(_hashable(key), []).append(item)
    return _grouped(groups)


def _hashable(value: object) -> Any:
    if is_undefined(value):
        return None
    return value if isinstance(value, (str, int, float, bool)) or value is None else ruby_text(value)


def _compare(left: object, right: object) -> int:
    """Ruby's ``a <=> b || a.to_s <=> b.to_s`` (numbers with numbers, text with text)."""
    numbers = (int, float)
    comparable = (isinstance(left, numbers) and isinstance(right, numbers)) or type(left) is type(right)
    if comparable and not isinstance(left, (bool, list, dict)):
        try:
            return _cmp(left, right)
        except TypeError:
            pass
    a, b = ruby_text(left), ruby_text(right)
    return (a > b) - (a < b)


def _cmp(left: Any, right: Any) -> int:
    return int(left > right) - int(left < right)


def sort(values: object, prop: object = None, nils: object = "first") -> object:
    """Ascending; by *prop* if given, items without it first (``nils: "last"`` puts them last)."""
    if values is None or is_undefined(values):
        raise FilterArgumentError("Cannot sort a null object.", token=None)
    items = _items(values) if not isinstance(values, Mapping) else None
    if items is None:
        return values
    if prop is None:
        try:
            return sorted(items, key=functools.cmp_to_key(_strict_compare))
        except TypeError as err:
            raise FilterArgumentError(str(err), token=None) from None
    if nils not in ("first", "last"):
        message = f"Invalid nils order: '{ruby_text(nils)}' is not a valid nils order. It must be 'first' or 'last'."
        raise FilterArgumentError(message, token=None)
    order = -1 if nils == "first" else 1
    keyed = [(item_property(item, prop), item) for item in items]

    def compare(a: tuple[object, Any], b: tuple[object, Any]) -> int:
        if a[0] is not None and b[0] is None:
            return -order
        if a[0] is None and b[0] is not None:
            return order
        return _compare(a[0], b[0])

    return [item for _, item in sorted(keyed, key=functools.cmp_to_key(compare))]


def _strict_compare(left: object, right: object) -> int:
    """Ruby's Array#sort: only values of one kind compare (numbers with numbers, text with text)."""
    numbers = (int, float)
    if (isinstance(left, numbers) and isinstance(right, numbers)) or (isinstance(left, str) and isinstance(right, str)):
        return _cmp(left, right)
    raise TypeError(f"comparison of {_ruby_class(left)} with {_ruby_class(right)} failed")


def _ruby_class(value: object) -> str:
    names = {str: "String", int: "Integer", float: "Float", bool: "TrueClass", type(None): "NilClass", list: "Array", dict: "Hash"}
    return names.get(type(value), type(value).__name__)


def sample(values: object, count: object = 1) -> object:
    """Random items, as Jekyll; but drawn from a generator seeded by the items themselves, so that
    a build is deterministic (the same list gives the same sample in every build)."""
    items = _items(values) if isinstance(values, (list, tuple)) else None
    if items is None:
        return values
    try:
        number = int(str(count).strip())
    except ValueError:
        number = 1
    seed = hashlib.sha256(json.dumps(items, default=ruby_text, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    chooser = random.Random(seed)  # a stable choice, not for security
    if number == 1:
        return chooser.choice(items) if items else None
    return chooser.sample(items, min(max(number, 0), len(items)))


def _count(number: object) -> int:
    try:
        return int(str(number).strip())
    except ValueError:
        raise FilterArgumentError(f"invalid value for Integer(): {ruby_text(number)!r}", token=None) from None


def push(values: object, item: object = None) -> object:
    return [*values, item] if isinstance(values, list) else values


def unshift(values: object, item: object = None) -> object:
    return [item, *values] if isinstance(values, list) else values


def pop(values: object, number: object = 1) -> object:
    if not isinstance(values, list):
        return values
    count = _count(number)
    if count < 0:
        raise FilterArgumentError("negative array size", token=None)
    return values[: max(len(values) - count, 0)]


def shift(values: object, number: object = 1) -> object:
    if not isinstance(values, list):
        return values
    count = _count(number)
    if count < 0:
        raise FilterArgumentError("negative array size", token=None)
    return values[count:]


ARRAY_FILTERS = {
    "where": where,
    "where_exp": where_exp,
    "find": find,
    "find_exp": find_exp,
    "group_by": group_by,
    "group_by_exp": group_by_exp,
    "sort": sort,
    "sample": sample,
    "push": push,
    "pop": pop,
    "shift": shift,
    "unshift": unshift,
}
