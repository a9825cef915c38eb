//! Short, safe doc comments from spec prose: HTML dropped, Markdown kept, code fences marked
//! as text (so rustdoc never compiles them), indentation removed (so nothing becomes an
//! indented code block), and long text cut at a sentence.

use proc_macro2::TokenStream;
use quote::quote;

const MAX_CHARS: usize = 600;

/// Cleans `text` into doc lines.
pub fn clean(text: &str) -> Vec<String> {
    let text = strip_html(text);
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut total = 0;
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            if in_fence {
                lines.push("```".into());
            } else {
                lines.push("```text".into());
            }
            in_fence = !in_fence;
            continue;
        }
        if !in_fence && total >= MAX_CHARS {
            break;
        }
        let line = if in_fence { line.to_string() } else { escape_markdown(line) };
        total += line.len();
        // Markdown would fold a plain line into the list item above it; keep them apart.
        if !in_fence && !line.is_empty() && !is_list_item(&line) && lines.last().is_some_and(|l| is_list_item(l)) {
            lines.push(String::new());
        }
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    if in_fence {
        lines.push("```".into());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // Cut an over-long last paragraph at a sentence end.
    if total > MAX_CHARS {
        if let Some(last) = lines.last_mut() {
            if let Some(end) = last.char_indices().filter(|(_, c)| *c == '.').map(|(i, _)| i).find(|&i| i > 80) {
                last.truncate(end + 1);
            }
        }
    }
    lines
}

fn is_list_item(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
    line.starts_with("- ")
        || line.starts_with("* ")
        || line.starts_with("+ ")
        || (rest.len() < line.len() && (rest.starts_with(". ") || rest.starts_with(") ")))
}

/// Rustdoc treats a bare `[x]` as an intra-doc link and `<x>` as HTML; keep both literal.
/// Markdown links, `[text](url)`, stay links.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut link_text = false;
    let mut skip_to = 0;
    for (i, c) in line.char_indices() {
        if i < skip_to {
            continue;
        }
        // A bare URL becomes an autolink (rustdoc warns on bare ones); one that is already a
        // link target, `(url)`, stays as it is.
        let rest = &line[i..];
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) && !out.ends_with('(') {
            let end =
                rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            skip_to = i + url.len();
            continue;
        }
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '[' if !in_code => {
                let closes = line[i..].find(']').map(|j| i + j);
                link_text = closes.is_some_and(|j| line[j + 1..].starts_with('('));
                if !link_text {
                    out.push('\\');
                }
                out.push(c);
            }
            ']' if !in_code => {
                if !link_text {
                    out.push('\\');
                }
                link_text = false;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    if in_code {
        // An unbalanced backtick would swallow the next lines.
        out = out.replace('`', "'");
    }
    out
}

fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        // A tag is `<` + letter or `/`, up to `>`; anything else is a literal `<`.
        let is_tag = tail[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, tail.find('>')) {
            (true, Some(end)) => {
                let tag = &tail[1..end].to_ascii_lowercase();
                if tag.starts_with("br") || tag.starts_with("/p") || tag.starts_with("li") {
                    out.push('\n');
                }
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
}

/// `#[doc]` attributes, one per line.
pub fn attrs(lines: &[String]) -> TokenStream {
    let docs = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #docs] )* }
}

/// Doc attributes for an optional description.
pub fn of(description: Option<&str>) -> TokenStream {
    match description {
        Some(d) => attrs(&clean(d)),
        None => TokenStream::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            clean("See https://telnyx.com/pricing/numbers. Or [the docs](https://developers.telnyx.com)."),
            vec!["See <https://telnyx.com/pricing/numbers>. Or [the docs](https://developers.telnyx.com)."]
        );
        assert_eq!(clean("`curl https://x.y`"), vec!["`curl https://x.y`"]);
    }

    #[test]
    fn cleans_html_fences_and_indentation() {
        let lines = clean(
            "Hello <b>world</b>.<br>Next\n\n\n    indented\n```\nlet x = 1;\n```\nsee [docs](x) and [not a link] <tag>",
        );
        assert_eq!(
            lines,
            vec![
                "Hello world.",
                "Next",
                "",
                "indented",
                "```text",
                "let x = 1;",
                "```",
                "see [docs](x) and \\[not a link\\]"
            ]
        );
    }

    #[test]
    fn list_items_do_not_swallow_the_next_line() {
        assert_eq!(clean("- a\nb\n1. c\n2. d"), vec!["- a", "", "b", "1. c", "2. d"]);
    }

    #[test]
    fn cuts_long_text() {
        let long = "A sentence that is long enough to count. ".repeat(40);
        let lines = clean(&long);
        assert!(lines.concat().len() <= 700);
        assert!(lines.last().unwrap().ends_with('.'));
    }
}
