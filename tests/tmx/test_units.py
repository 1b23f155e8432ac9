"""Units built on the fast path (``assemble``, ``from_texts``) are the units ``__init__`` builds."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from datetime import UTC, datetime

from tmx.units import TranslationUnit, Variant, assemble, is_plain


def test_from_texts_is_the_constructed_unit() -> None:
    fast = TranslationUnit.from_texts(
        {"ru": "Пункт 3", "zh-CN": "项目 3", "en": ""}, tuid="7", props=[("x-score", "0.9")], notes=["n"]
    )
    slow = TranslationUnit(
        variants=(Variant("ru", "Пункт 3"), Variant("zh-CN", "项目 3")),
        tuid="7",
        props=(("x-score", "0.9"),),
        notes=("n",),
    )
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert copy.deepcopy(fast) == slow
    assert dataclasses.replace(fast, tuid="8") == dataclasses.replace(slow, tuid="8")
    assert fast.variants[0].markup is None and fast.srclang is None and fast.usagecount is None


def test_assemble_fills_left_out_fields_with_their_defaults() -> None:
    unit = assemble(TranslationUnit, {"variants": (assemble(Variant, {"lang": "en", "text": "x"}),)})
    assert unit == TranslationUnit(variants=(Variant("en", "x"),))
    assert unit.props == () and unit.tuid is None and unit.variants[0].extra_attrs == ()


def test_is_plain() -> None:
    assert is_plain(assemble(Variant, {"lang": "en", "text": "x"}))
    assert is_plain(Variant("en", "x"))  # built by __init__: every field in vars()
    assert not is_plain(Variant("en", "x", markup="<ph/>x"))
    assert not is_plain(Variant("en", "x", props=(("a", "b"),)))
    assert not is_plain(Variant("en", "x", notes=("n",)))
    assert not is_plain(Variant("en", "x", creationdate=datetime(2020, 1, 1, tzinfo=UTC)))
    assert not is_plain(Variant("en", "x", changeid="me"))
    assert not is_plain(Variant("en", "x", extra_attrs=(("o-encoding", "x"),)))
    assert not is_plain(assemble(Variant, {"lang": "en", "text": "x", "changeid": "me"}))
