"""Label selectors: LabelSelector matching, kubectl's grammar, string forms and their errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controlplane.models import identifiers, selector_parser, selectors
from controlplane.models.selectors import SelectorError

WEB = {"app": "web", "tier": "fe"}

# --- LabelSelector dicts ---


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        (None, WEB, False),  # nil selects nothing
        (None, {}, False),
        ({}, WEB, True),  # empty selects everything
        ({}, {}, True),
        ({"matchLabels": {"app": "web"}}, WEB, True),
        ({"matchLabels": {"app": "web"}}, {"app": "db"}, False),
        ({"matchLabels": {"app": "web"}}, {}, False),
        ({"matchLabels": {"app": ""}}, {"app": ""}, True),
        ({"matchLabels": {"app": ""}}, {}, False),
        (
            {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]}]},
            WEB,
            True,
        ),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["be"]}]}, WEB, False),
        ({"matchExpressions": [{"key": "env", "operator": "In", "values": ["x"]}]}, WEB, False),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["be"]}]}, WEB, True),
        (
            {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["fe"]}]},
            WEB,
            False,
        ),
        ({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["x"]}]}, WEB, True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, WEB, True),
        ({"matchExpressions": [{"key": "env", "operator": "Exists"}]}, WEB, False),
        ({"matchExpressions": [{"key": "env", "operator": "DoesNotExist"}]}, WEB, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, WEB, False),
        ({"matchExpressions": [{"key": "app", "operator": "Bogus"}]}, WEB, False),
        (  # everything is ANDed
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["be"]}],
            },
            WEB,
            False,
        ),
    ],
)
def test_matches_label_selector(selector: Any, labels: dict[str, str], expected: bool) -> None:
    assert selectors.matches(selector, labels) is expected
    if selector is None or all(
        e["operator"] != "Bogus" for e in selector.get("matchExpressions", [])
    ):
        assert selectors.from_label_selector(selector).matches(labels) is expected


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (None, "<none>"),
        ({}, "<none>"),
        ({"matchLabels": {}, "matchExpressions": []}, "<none>"),
        (
            {
                "matchLabels": {"tier": "fe", "app": "web"},
                "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}],
            },
            "app=web,env in (dev,prod),tier=fe",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["y", "x"]}]},
            "a notin (x,y)",
        ),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, "a"),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, "!a"),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["x"]}]}, "a in (x)"),
        ({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}, "<error>"),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}, "<error>"),
    ],
)
def test_to_string(selector: Any, text: str) -> None:
    assert selectors.to_string(selector) == text


@pytest.mark.parametrize(
    ("labels", "text"),
    [({}, "<none>"), (None, "<none>"), ({"b": "2", "a": "1"}, "a=1,b=2"), ({"k": ""}, "k=")],
)
def test_labels_to_string(labels: Any, text: str) -> None:
    assert selectors.labels_to_string(labels) == text


def test_from_label_selector_rejects_what_kubernetes_rejects() -> None:
    with pytest.raises(SelectorError, match=r'^"Bogus" is not a valid label selector operator$'):
        selectors.from_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]})
    with pytest.raises(SelectorError) as err:
        selectors.from_label_selector(
            {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}
        )
    assert str(err.value) == (
        'values: Invalid value: ["x"]: values set must be empty for exists and does not exist'
    )


# --- kubectl's string grammar ---


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("a", "a"),
        ("!a", "!a"),
        ("a=b", "a=b"),
        ("a==b", "a==b"),
        ("a!=b", "a!=b"),
        ("a=", "a="),
        (" a = b , c ", "a=b,c"),
        ("\ta=b,\n!c", "a=b,!c"),
        ("tier in (fe,be)", "tier in (be,fe)"),
        ("tier notin (fe)", "tier notin (fe)"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("a in (,)", "a in ()"),
        ("in in (in,notin)", "in in (in,notin)"),  # keywords are plain words among values
        ("b=2,a=1", "a=1,b=2"),  # requirements sorted by key
        ("example.com/role=db", "example.com/role=db"),
        ("a>1", "a>1"),
        ("a<1", "a<1"),
    ],
)
def test_parse_valid(text: str, canonical: str) -> None:
    assert str(selector_parser.parse(text)) == canonical


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("", {}, True),
        ("app=web", WEB, True),
        ("app==web", WEB, True),
        ("app!=web", WEB, False),
        ("app!=db", WEB, True),
        ("env!=prod", WEB, True),  # != matches a missing key
        ("tier in (fe,be)", WEB, True),
        ("tier notin (fe,be)", WEB, False),
        ("env notin (prod)", WEB, True),
        ("app", WEB, True),
        ("!app", WEB, False),
        ("!env", WEB, True),
        ("app=web,tier=be", WEB, False),
        ("n>3", {"n": "4"}, True),
        ("n>3", {"n": "3"}, False),
        ("n<3", {"n": "x"}, False),
        ("n<3", {}, False),
    ],
)
def test_parse_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert selector_parser.parse(text).matches(labels) is expected


KEY_REGEX_ERROR = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_REGEX_ERROR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("a,,b", "found ',', expected: identifier after ','"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("=a", "found '=', expected: !, identifier, or 'end of string'"),
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (b,", "unable to parse requirement: found '', expected: ',', or identifier"),
        ("a in (=", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("A_=b", f'unable to parse requirement: <nil>: Invalid value: "A_": {KEY_REGEX_ERROR}'),
        (
            "a=-x",
            f'unable to parse requirement: values[0][a]: Invalid value: "-x": {VALUE_REGEX_ERROR}',
        ),
        (
            "a in (-b,c_)",
            "unable to parse requirement: ["
            f'values[0][a]: Invalid value: "-b": {VALUE_REGEX_ERROR}, '
            f'values[1][a]: Invalid value: "c_": {VALUE_REGEX_ERROR}]',
        ),
        (
            "a>x",
            'unable to parse requirement: values[0]: Invalid value: "x": '
            "for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        (
            "x/y/z",
            'unable to parse requirement: <nil>: Invalid value: "x/y/z": a valid label key must '
            "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
            "subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        # Upstream quirk: `,,` followed by `)` is refused, so the String() of values
        # ["", "", ""] does not parse back (hence unique values in the property below).
        ("a in (,,)", "unable to parse requirement: found ')', expected: ',', or identifier"),
        (
            "/a",
            'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be '
            "non-empty",
        ),
    ],
)
def test_parse_errors_use_apimachinery_messages(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as err:
        selector_parser.parse(text)
    assert str(err.value) == message
    assert isinstance(err.value, ValueError)


# --- the string checks shared with validation ---


def test_dns_messages_keep_the_two_spaces_quirk() -> None:
    assert identifiers.dns1123_label_errors("My_App") == [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]
    assert identifiers.dns1123_label_errors("web.v1") == ["must not contain dots"]
    assert identifiers.dns1123_label_errors("a" * 64) == ["must be no more than 63 characters"]
    assert identifiers.dns1123_subdomain_errors("a" * 254) == [
        "must be no more than 253 characters"
    ]
    assert identifiers.dns1123_subdomain_errors("web.v1") == []


@pytest.mark.parametrize(
    ("key", "errors"),
    [
        ("app", []),
        ("example.com/app", []),
        ("app.kubernetes.io/name", []),
        ("", ["name part must be non-empty", KEY_REGEX_ERROR]),
        ("a" * 64, ["name part must be no more than 63 characters"]),
        ("-a", [KEY_REGEX_ERROR]),
        (
            "Example.com/app",
            [
                "prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                "alphanumeric "
                "characters, '-' or '.', and must start and end with an alphanumeric character "
                "(e.g. "
                "'example.com', regex used for validation is "
                "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ],
        ),
    ],
)
def test_label_key_errors(key: str, errors: list[str]) -> None:
    assert identifiers.label_key_errors(key) == errors


# --- one matcher for both forms ---

_KEYS = st.sampled_from(["app", "tier", "env", "example.com/role", "in"])
_VALUES = st.sampled_from(["", "web", "db", "a.b", "A_1", "notin"])
_LABELS = st.dictionaries(_KEYS, _VALUES, max_size=5)


@st.composite
def _expressions(draw: st.DrawFn) -> dict[str, Any]:
    operator = draw(st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]))
    expr: dict[str, Any] = {"key": draw(_KEYS), "operator": operator}
    if operator in ("In", "NotIn"):
        expr["values"] = draw(st.lists(_VALUES, min_size=1, max_size=3, unique=True))
    return expr


_SELECTORS = st.fixed_dictionaries(
    {},
    optional={
        "matchLabels": st.dictionaries(_KEYS, _VALUES, max_size=3),
        "matchExpressions": st.lists(_expressions(), max_size=4),
    },
)


@given(selector=_SELECTORS, labels=st.lists(_LABELS, min_size=1, max_size=8))
def test_string_form_round_trips_through_the_parser(
    selector: dict[str, Any], labels: list[dict[str, str]]
) -> None:
    text = selectors.to_string(selector)
    if text == "<none>":
        assert all(selectors.matches(selector, each) for each in labels)
        return
    parsed = selector_parser.parse(text)
    assert str(parsed) == text
    for each in labels:
        expected = selectors.matches(selector, each)
        assert parsed.matches(each) is expected
        assert selectors.from_label_selector(selector).matches(each) is expected
