//! The casts, validations and error texts of stdlib §28.3, and the value encoding.

use super::*;

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn cs(params: &[(&str, &str)], allowed: &[&str]) -> Changeset {
    Changeset::cast(&[], &pairs(params), &names(allowed))
}

#[test]
fn cast_keeps_only_allowed_keys_in_allowed_order_and_starts_valid() {
    let c = Changeset::cast(
        &pairs(&[("id", "1")]),
        &pairs(&[("admin", "true"), ("name", "Ann"), ("email", "a@x")]),
        &names(&["email", "name", "missing", "email"]),
    );
    assert_eq!(c.changes, pairs(&[("email", "a@x"), ("name", "Ann")]));
    assert_eq!(c.data, pairs(&[("id", "1")]));
    assert!(c.is_valid());
    assert_eq!(c.change("admin"), None);
}

#[test]
fn cast_with_types_marks_values_of_the_wrong_type_invalid() {
    let types = names(&[
        "age:BIGINT",
        "score:DOUBLE PRECISION",
        "ok:BOOLEAN",
        "key:UUID",
        "bio:TEXT",
        "n:numeric(10, 2)",
    ]);
    let good = Changeset::cast_with_types(
        &[],
        &pairs(&[
            ("age", " 42 "),
            ("score", "-1.5e3"),
            ("ok", "Yes"),
            ("key", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            ("bio", ""),
            ("n", "3"),
        ]),
        &names(&["age", "score", "ok", "key", "bio", "n"]),
        &types,
    );
    assert!(good.is_valid(), "{:?}", good.errors);
    let bad = Changeset::cast_with_types(
        &[],
        &pairs(&[
            ("age", "4.5"),
            ("score", "inf"),
            ("ok", "maybe"),
            ("key", "a0eebc99-9c0b4ef8-bb6d-6bb9bd380a11"),
            ("bio", "anything"),
            ("n", ""),
        ]),
        &names(&["age", "score", "ok", "key", "bio", "n"]),
        &types,
    );
    assert_eq!(
        bad.errors,
        pairs(&[
            ("age", "is invalid"),
            ("score", "is invalid"),
            ("ok", "is invalid"),
            ("key", "is invalid"),
            ("n", "is invalid"),
        ])
    );
    // The 32-digit form is a UUID too.
    assert!(SqlType::Uuid.accepts("A0EEBC999C0B4EF8BB6D6BB9BD380A11"));
}

#[test]
fn validate_required_reads_changes_then_data_and_trims() {
    let c = Changeset::cast(
        &pairs(&[("name", "Ann"), ("title", "x")]),
        &pairs(&[("email", "  "), ("title", "")]),
        &names(&["email", "title"]),
    )
    .validate_required(&names(&["name", "email", "title", "age"]));
    assert_eq!(
        c.errors,
        pairs(&[
            ("email", "can't be blank"),
            ("title", "can't be blank"),
            ("age", "can't be blank"),
        ])
    );
}

#[test]
fn validate_length_counts_characters_with_open_bounds() {
    let c = cs(
        &[("a", "héllo"), ("b", "hi"), ("c", "abcdef")],
        &["a", "b", "c"],
    )
    .validate_length("a", 5, 5)
    .validate_length("b", 3, -1)
    .validate_length("c", -1, 5)
    .validate_length("absent", 1, 2);
    assert_eq!(
        c.errors,
        pairs(&[
            ("b", "should be at least 3 character(s)"),
            ("c", "should be at most 5 character(s)"),
        ])
    );
}

#[test]
fn validate_format_and_inclusion() {
    let c = cs(
        &[
            ("email", "ann.example.com"),
            ("role", "root"),
            ("ok", "a@b"),
        ],
        &["email", "role", "ok"],
    )
    .validate_format("email", "@")
    .validate_format("ok", "@")
    .validate_inclusion("role", &names(&["admin", "user"]))
    .validate_inclusion("missing", &names(&["x"]));
    assert_eq!(
        c.errors,
        pairs(&[("email", "has invalid format"), ("role", "is invalid")])
    );
}

#[test]
fn validate_number_checks_each_bound_in_order() {
    let check = |value: &str, gt: i64, lt: i64, gte: i64, lte: i64| {
        cs(&[("n", value)], &["n"])
            .validate_number("n", gt, lt, gte, lte)
            .error("n")
            .map(str::to_string)
    };
    assert_eq!(
        check("abc", -1, -1, -1, -1).as_deref(),
        Some("is not a number")
    );
    assert_eq!(
        check("", -1, -1, -1, -1).as_deref(),
        Some("is not a number")
    );
    assert_eq!(check(" 5 ", -1, -1, -1, -1), None);
    assert_eq!(
        check("5", 5, -1, -1, -1).as_deref(),
        Some("must be greater than 5")
    );
    assert_eq!(check("5.5", 5, -1, -1, -1), None);
    assert_eq!(
        check("10", -1, 10, -1, -1).as_deref(),
        Some("must be less than 10")
    );
    assert_eq!(
        check("2", -1, -1, 3, -1).as_deref(),
        Some("must be greater than or equal to 3")
    );
    assert_eq!(check("3", -1, -1, 3, -1), None);
    assert_eq!(
        check("8", -1, -1, -1, 7).as_deref(),
        Some("must be less than or equal to 7")
    );
    assert_eq!(check("7", -1, -1, -1, 7), None);
    // Both gt and lt fail: the first (gt) is the error.
    assert_eq!(
        check("0", 1, -5, -1, -1).as_deref(),
        Some("must be greater than 1")
    );
    // Absent field: skipped.
    assert!(cs(&[], &[]).validate_number("n", 1, 1, 1, 1).is_valid());
}

#[test]
fn only_the_first_error_of_a_field_is_kept() {
    let c = cs(&[("name", "")], &["name"])
        .validate_required(&names(&["name"]))
        .validate_length("name", 2, -1);
    assert_eq!(c.errors, pairs(&[("name", "can't be blank")]));
    assert_eq!(c.error("name"), Some("can't be blank"));
    assert!(!c.is_valid());
}

#[test]
fn encoding_round_trips_any_text() {
    let c = Changeset {
        data: pairs(&[("id", "1:2"), ("", "")]),
        changes: pairs(&[("na\0me", "é\n5:x")]),
        errors: pairs(&[("name", "can't be blank")]),
    };
    let text = c.encode();
    assert_eq!(Changeset::decode(&text), Some(c));
    assert_eq!(
        Changeset::decode(&Changeset::default().encode()),
        Some(Changeset::default())
    );
    assert_eq!(Changeset::decode("3:abc"), None);
    assert_eq!(Changeset::decode(&format!("{text}x")), None);
}
