//! Issue 14, acceptance 2: markdown and HTML reference docs for a 3.0, a 3.1 and a 2.0
//! fixture (snapshots) and for a Stripe version (every operation appears; the HTML
//! parses with a real HTML5 parser without errors); HTML and JS in a description
//! render as text.

use std::io::Read;
use std::path::{Path, PathBuf};

use specwatch::explain::docs::{html, markdown};
use specwatch::spec::LoadOptions;
use specwatch::spec::model::Api;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/explain")
        .join(name)
}

fn load(bytes: &[u8], origin: &str) -> Api {
    specwatch::spec::load_api(bytes, origin, &LoadOptions::default()).unwrap()
}

fn stripe() -> Api {
    let dir = std::env::var_os("SPECWATCH_SHARED_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("stripe/0007-2021-12-23-d70de34538.json.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&dir).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    load(&bytes, "stripe 0007")
}

/// Parse errors of a whole HTML document, from html5ever (the WHATWG algorithm).
fn html_errors(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    doc.errors.iter().map(|e| e.to_string()).collect()
}

fn count(page: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).count()
}

#[test]
fn small_fixtures_render_as_snapshotted_markdown_and_valid_html() {
    for name in [
        "petstore-3.0.yaml",
        "petstore-3.1.yaml",
        "petstore-2.0.yaml",
    ] {
        let api = load(&std::fs::read(fixture(name)).unwrap(), name);
        let md = markdown::render(&api);
        let page = html::render(&api);
        insta::assert_snapshot!(format!("{name}.md"), md);
        insta::assert_snapshot!(format!("{name}.html"), page);
        assert_eq!(html_errors(&page), Vec::<String>::new(), "{name}");
        assert_eq!(
            count(&page, "section.op"),
            api.operations.len() + api.webhooks.len(),
            "{name}"
        );
        // Every schema link resolves to a section of the page.
        let doc = scraper::Html::parse_document(&page);
        let links = scraper::Selector::parse("a[href^='#']").unwrap();
        for a in doc.select(&links) {
            let id = &a.value().attr("href").unwrap()[1..];
            let target = scraper::Selector::parse(&format!("[id='{id}']")).unwrap();
            assert_eq!(doc.select(&target).count(), 1, "{name}: link #{id}");
        }
    }
}

#[test]
fn html_in_a_description_renders_as_text() {
    let api = load(
        &std::fs::read(fixture("petstore-3.0.yaml")).unwrap(),
        "petstore",
    );
    let page = html::render(&api);
    // Only the page's own search script is a script element.
    assert_eq!(count(&page, "script"), 1);
    assert_eq!(count(&page, "b"), 0, "the title's <b> stays text");
    assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    let md = markdown::render(&api);
    assert!(md.contains("&lt;script&gt;alert('x')&lt;/script&gt; \\| not a table"));
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<b>"));
}

#[test]
fn stripe_docs_name_every_operation_and_parse_cleanly() {
    let api = stripe();
    let md = markdown::render(&api);
    let page = html::render(&api);
    assert!(api.operations.len() > 380);
    for op in api.operations.values() {
        let name = format!("`{} {}`", op.method, op.path);
        assert!(md.contains(&name), "markdown lacks {name}");
    }
    assert_eq!(count(&page, "section.op"), api.operations.len());
    assert_eq!(count(&page, "section.schema"), api.components.len());
    assert_eq!(html_errors(&page), Vec::<String>::new());
    // Recursive schemas end in links: charge → invoice → charge is a link each way.
    assert!(page.contains("href=\"#schema-invoice\""));
    assert!(page.contains("id=\"schema-charge\""));
}
