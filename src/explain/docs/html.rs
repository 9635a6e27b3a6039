//! Self-contained HTML reference docs: one file, its style and search-in-page script
//! inline, nothing fetched. Every spec string goes through maud's escaping, so HTML in
//! a description renders as text. Without JavaScript the page is complete (the table of
//! contents is plain links); the script only adds the search box.

use maud::{DOCTYPE, Markup, html};
use sha2::{Digest, Sha256};

use super::markdown::attr;
use super::{Body, Doc, OpDoc, Part, Row};
use crate::spec::model::Api;

/// The inline stylesheet.
pub const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}\
header,main{max-width:72rem;margin:0 auto;padding:0 1rem}\
nav#toc{max-width:72rem;margin:0 auto;padding:0 1rem;columns:18rem}\
nav#toc ul{margin:.2rem 0 .6rem;padding-left:1rem}nav#toc li{overflow-wrap:anywhere}nav#toc div{break-inside:avoid-column}\
h2{border-bottom:1px solid #d0d7de;padding-top:1rem}\
h3 code{font-size:1rem}\
section.op,section.schema{border-top:1px solid #eaeef2;padding:.4rem 0}\
table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}\
td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}\
.desc{white-space:pre-wrap}\
.dep{background:#fff8c5;border-left:4px solid #d4a72c;padding:.2rem .6rem}\
.m{font-weight:700}\
.muted{color:#59636e}\
input#q{font:inherit;padding:.3rem .5rem;width:20rem;max-width:100%}\
[hidden]{display:none!important}\
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}a{color:#6cb6ff}\
td,th{border-color:#30363d}.dep{background:#3b2e00}}";

/// The inline search-in-page script: filters operations and schemas by their text.
pub const SCRIPT: &str = "(function(){var q=document.getElementById('q');if(!q)return;q.hidden=false;\
var items=[].slice.call(document.querySelectorAll('section.op,section.schema'));\
var links={};[].slice.call(document.querySelectorAll('nav#toc a')).forEach(function(a){links[a.getAttribute('href').slice(1)]=a.parentNode;});\
q.addEventListener('input',function(){var t=q.value.trim().toLowerCase();items.forEach(function(s){\
var hit=!t||s.textContent.toLowerCase().indexOf(t)>=0;s.hidden=!hit;var l=links[s.id];if(l)l.hidden=!hit;});});})();";

/// `'sha256-…'` sources of the inline style and script, for a Content-Security-Policy
/// that allows exactly these two.
pub fn csp_sources() -> (String, String) {
    use base64::Engine as _;
    let h = |s: &str| {
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        )
    };
    (h(STYLE), h(SCRIPT))
}

/// The docs of `api` as one HTML page.
pub fn render(api: &Api) -> String {
    let doc = Doc::build(api);
    let title = api.title.as_deref().unwrap_or("API");
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " " (api.api_version.as_deref().unwrap_or("")) " — reference" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p.muted {
                        "Version " (api.api_version.as_deref().unwrap_or("—")) " · "
                        (if api.spec_version.starts_with('2') { "Swagger " } else { "OpenAPI " })
                        (api.spec_version) " · " (api.operations.len()) " operations · "
                        (api.components.len()) " schemas"
                    }
                    @for s in &api.servers { p { "Server: " code { (s) } } }
                    p { input #q type="search" placeholder="Search operations and schemas" aria-label="Search" hidden; }
                }
                nav #toc aria-label="Contents" {
                    @for (group, ops) in &doc.groups {
                        div {
                            strong { (group) }
                            ul {
                                @for o in ops {
                                    li { a href={ "#" (o.anchor) } { span.m { (o.op.method) } " " (o.op.path) }
                                        @if o.op.deprecated { " " span.muted { "(deprecated)" } } }
                                }
                            }
                        }
                    }
                    @if !doc.schemas.is_empty() { div { strong { a href="#schemas" { "Schemas" } } } }
                }
                main {
                    @if !doc.security.is_empty() {
                        h2 { "Authentication" }
                        ul { @for (name, line) in &doc.security { li { code { (name) } ": " (line) } } }
                    }
                    @for (group, ops) in &doc.groups {
                        h2 { (group) }
                        @for o in ops { (operation(o)) }
                    }
                    @if !doc.webhooks.is_empty() {
                        h2 { "Webhooks" }
                        @for o in &doc.webhooks { (operation(o)) }
                    }
                    @if !doc.schemas.is_empty() {
                        h2 #schemas { "Schemas" }
                        @for s in &doc.schemas {
                            section.schema id={ "schema-" (attr(&s.name)) } {
                                h3 { code { (s.name) } @if s.deprecated { " " span.dep { "deprecated" } } }
                                @if !s.ty.is_empty() { p { "Type: " (parts(&s.ty)) } }
                                (rows(&s.rows))
                            }
                        }
                    }
                }
                script { (maud::PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

fn operation(o: &OpDoc<'_>) -> Markup {
    let op = o.op;
    html! {
        section.op id=(o.anchor) {
            h3 { code { span.m { (op.method) } " " (op.path) } }
            @if op.deprecated || op.sunset.is_some() {
                p.dep { strong { "Deprecated" } @if let Some(s) = &op.sunset { " — sunset " (s) } }
            }
            @if let Some(s) = &op.summary { p { strong { (s) } } }
            @if let Some(d) = &op.description { p.desc { (d) } }
            p.muted {
                @if let Some(id) = &op.operation_id { "operationId " code { (id) } }
                @if let Some(s) = &op.stability { " · stability " (s) }
                @if op.security.is_some() {
                    " · auth: "
                    @if o.auth.is_empty() { "none" } @else { (o.auth.join(" or ")) }
                }
            }
            @if !o.params.is_empty() {
                table {
                    thead { tr { th { "Parameter" } th { "In" } th { "Type" } th { "Required" } th { "Notes" } } }
                    tbody {
                        @for p in &o.params {
                            tr {
                                td { code { (p.name) } @if p.deprecated { " " span.dep { "deprecated" } } }
                                td { (p.location) }
                                td { (parts(&p.ty)) }
                                td { @if p.required { "yes" } }
                                td { (p.notes.join("; ")) }
                            }
                        }
                    }
                }
            }
            @if let Some((required, bodies)) = &o.request {
                p { strong { "Request body" } @if *required { " (required)" } }
                @for b in bodies { (body(b)) }
            }
            @if !o.responses.is_empty() {
                p { strong { "Responses" } }
                ul {
                    @for r in &o.responses {
                        li {
                            code { (r.status) }
                            @if !r.headers.is_empty() { " (headers " (r.headers.join(", ")) ")" }
                            @for b in &r.bodies { (body(b)) }
                        }
                    }
                }
            }
        }
    }
}

fn body(b: &Body) -> Markup {
    html! {
        div { code { (b.media_type) } ": " (parts(&b.ty)) }
        (rows(&b.rows))
    }
}

fn rows(rows: &[Row]) -> Markup {
    html! {
        @if !rows.is_empty() {
            table {
                thead { tr { th { "Property" } th { "Type" } th { "Required" } th { "Notes" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td { code { (r.name) } @if r.deprecated { " " span.dep { "deprecated" } } }
                            td { (parts(&r.ty)) }
                            td { @if r.required { "yes" } }
                            td { (r.notes.join("; ")) }
                        }
                    }
                }
            }
        }
    }
}

fn parts(ps: &[Part]) -> Markup {
    html! {
        @for p in ps {
            @match p {
                Part::Text(t) => { (t) }
                Part::Link(name) => { a href={ "#schema-" (attr(name)) } { code { (name) } } }
            }
        }
    }
}
