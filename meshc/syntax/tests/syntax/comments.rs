//! Comments kept beside the AST (`ast::Module::comments`): every comment in source order with
//! its placement, `##` runs attached to the declaration below them, `##!` as the module doc.

use mesh_syntax::ast::ItemKind;
use mesh_syntax::lexer::CommentKind;
use mesh_syntax::parser::parse_module;
use mesh_syntax::span::FileId;

const SRC: &str = "##! The module.\n##! Second line.\n\n# banner\n## Adds one.\n## Twice.\npub fn inc(x) = x + 1 # trailing\n\n#= block =#\nfn plain() = 2\n\n## Dangling, then code.\n\nlet_me_be = 1\n";

#[test]
fn every_comment_is_kept_in_order_with_its_placement() {
    let src = SRC.replace("let_me_be = 1\n", "fn later() = 3\n");
    let module = parse_module(FileId(0), &src).module.expect("parses");
    let got: Vec<(CommentKind, &str, bool)> = module
        .comments
        .list
        .iter()
        .map(|c| (c.kind, c.text.as_str(), c.own_line))
        .collect();
    assert_eq!(
        got,
        [
            (CommentKind::ModuleDoc, " The module.", true),
            (CommentKind::ModuleDoc, " Second line.", true),
            (CommentKind::Line, " banner", true),
            (CommentKind::Doc, " Adds one.", true),
            (CommentKind::Doc, " Twice.", true),
            (CommentKind::Line, " trailing", false),
            (CommentKind::Block, " block ", true),
            (CommentKind::Doc, " Dangling, then code.", true),
        ]
    );
    let inc = &module.items[0];
    let span = inc.span;
    assert_eq!(
        module.comments.between(0, span.start).len(),
        5,
        "comments before the first item"
    );
    assert_eq!(
        module.comments.module_doc().as_deref(),
        Some("The module.\nSecond line.")
    );
}

#[test]
fn doc_comments_attach_to_the_declaration_below() {
    let src = SRC.replace("let_me_be = 1\n", "fn later() = 3\n");
    let module = parse_module(FileId(0), &src).module.expect("parses");
    let docs: Vec<(String, Option<String>)> = module
        .items
        .iter()
        .map(|item| match &item.kind {
            ItemKind::Fn(f) => (
                f.name.name.clone(),
                // By the item's span and by its name's span alike.
                module
                    .comments
                    .doc_for(item.span)
                    .filter(|d| Some(d) == module.comments.doc_for(f.name.span).as_ref()),
            ),
            _ => (String::new(), None),
        })
        .collect();
    assert_eq!(
        docs,
        [
            ("inc".to_string(), Some("Adds one.\nTwice.".to_string())),
            ("plain".to_string(), None),
            // A blank line does not break the attachment; only code or other comments do.
            (
                "later".to_string(),
                Some("Dangling, then code.".to_string())
            ),
        ]
    );
}

#[test]
fn comments_survive_in_a_recovered_module() {
    let src = "## Kept.\nfn ok() = 1\nfn bad() = * 2\n";
    let parsed = parse_module(FileId(0), src);
    let module = parsed.recovered.expect("recovered");
    assert_eq!(
        module.comments.doc_for(module.items[0].span).as_deref(),
        Some("Kept.")
    );
}
