//! Token lists (Require, Supported, Allow, ...): elements split at commas, white space around
//! them ignored, and the first bad element named.

use sip_types::{HeaderName, Headers, ParseErrorKind, ValueError};

fn require(value: &str) -> Result<Vec<String>, ValueError> {
    let mut h = Headers::new();
    h.push(HeaderName::Require, value);
    match h.require() {
        Ok(tags) => Ok(tags.into_iter().map(str::to_owned).collect()),
        Err(e) => match e.kind {
            ParseErrorKind::InvalidHeader { reason, .. } => Err(reason),
            other => panic!("unexpected {other:?}"),
        },
    }
}

#[test]
fn well_formed_lists_split_at_commas() {
    assert_eq!(require("100rel, timer").expect("list"), ["100rel", "timer"]);
    assert_eq!(require(" a ,b\t,\tc ").expect("list"), ["a", "b", "c"]);
    assert_eq!(require("x-Y.z!%*_+`'~").expect("one"), ["x-Y.z!%*_+`'~"]);
    assert!(require("").expect("empty").is_empty());
    assert!(require(" \t ").expect("blank").is_empty());
}

#[test]
fn the_first_bad_element_is_named() {
    assert_eq!(require("a b"), Err(ValueError::Unexpected(' ')));
    assert_eq!(require("a\tb, c"), Err(ValueError::Unexpected('\t')));
    assert_eq!(require("a;b"), Err(ValueError::Unexpected(';')));
    assert_eq!(require("ok, @x"), Err(ValueError::Unexpected('@')));
    assert_eq!(require("a,,b"), Err(ValueError::EmptyElement));
    assert_eq!(require(", a"), Err(ValueError::EmptyElement));
    assert_eq!(require("a,"), Err(ValueError::EmptyElement));
    assert_eq!(require("a, \"b\""), Err(ValueError::Unexpected('"')));
}
