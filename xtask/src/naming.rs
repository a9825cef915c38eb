//! `cargo xtask naming-report PATH`: how many operations the generated client names as the
//! official Telnyx SDK does. PATH is an unpacked copy of the npm package `telnyx` (its `src/`
//! holds the TypeScript resource classes, one method per operation, the same names as the
//! Python and Go SDKs).

use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One operation of the official SDK: its call chain in snake_case, e.g. `calls.actions.start_playback`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialOp {
    pub method: String,
    pub path: String,
    pub chain: String,
}

/// A method of a resource class and the request it makes.
struct Method {
    name: String,
    method: String,
    path: String,
}

#[derive(Default)]
struct Class {
    /// Sub-resources: accessor name -> (file, class name).
    children: Vec<(String, PathBuf, String)>,
    methods: Vec<Method>,
}

/// Reads the official package's resource classes and walks them from the client.
pub fn read_official(package: &Path) -> Result<Vec<OfficialOp>, String> {
    let src = package.join("src");
    let client = src.join("client.ts");
    if !client.is_file() {
        return Err(format!(
            "{} not found: PATH must be an unpacked npm package `telnyx` (e.g. `npm pack telnyx && tar xzf telnyx-*.tgz`, then PATH=package)",
            client.display()
        ));
    }
    let mut classes: HashMap<(PathBuf, String), Class> = HashMap::new();
    let mut files: Vec<PathBuf> = Vec::new();
    collect_ts(&src.join("resources"), &mut files)?;
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (name, class) in parse_classes(file, &text) {
            classes.insert((file.clone(), name), class);
        }
    }
    // The client's accessors name classes re-exported by resources/index.ts.
    let index = src.join("resources").join("index.ts");
    let index_text = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let exported = exports(&index, &index_text);
    let client_text = std::fs::read_to_string(&client).map_err(|e| format!("{}: {e}", client.display()))?;
    let field = Regex::new(r"(?m)^  (\w+): API\.(\w+) =\s*new API\.\w+\(\s*this,?\s*\);").expect("valid regex");
    let mut out = Vec::new();
    for c in field.captures_iter(&client_text) {
        let Some(file) = exported.get(&c[2]) else { continue };
        walk(&classes, &(file.clone(), c[2].to_string()), &mut vec![snake(&c[1])], &mut out, 0);
    }
    out.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    Ok(out)
}

fn walk(
    classes: &HashMap<(PathBuf, String), Class>,
    key: &(PathBuf, String),
    chain: &mut Vec<String>,
    out: &mut Vec<OfficialOp>,
    depth: usize,
) {
    let Some(class) = classes.get(key) else { return };
    if depth > 16 {
        return;
    }
    for m in &class.methods {
        let mut full = chain.clone();
        full.push(snake(&m.name));
        out.push(OfficialOp { method: m.method.clone(), path: m.path.clone(), chain: full.join(".") });
    }
    for (accessor, file, name) in &class.children {
        chain.push(snake(accessor));
        walk(classes, &(file.clone(), name.clone()), chain, out, depth + 1);
        chain.pop();
    }
}

fn collect_ts(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_ts(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "ts") && !p.to_string_lossy().ends_with(".d.ts") {
            out.push(p);
        }
    }
    Ok(())
}

/// `./calls/calls` imported from `dir/x.ts` -> `dir/calls/calls.ts` (or `.../index.ts`).
fn resolve_import(from: &Path, spec: &str) -> PathBuf {
    let base = from.parent().unwrap_or(Path::new("")).join(spec);
    let file = base.with_extension("ts");
    let file = if file.is_file() { file } else { base.join("index.ts") };
    normalize(&file)
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `export { Calls, type X } from './calls/calls';` -> Calls -> that file.
fn exports(index: &Path, text: &str) -> HashMap<String, PathBuf> {
    let re = Regex::new(r"export \{([^}]*)\} from '([^']+)'").expect("valid regex");
    let mut map = HashMap::new();
    for c in re.captures_iter(text) {
        let file = resolve_import(index, &c[2]);
        for name in c[1].split(',').map(str::trim).filter(|n| !n.is_empty() && !n.starts_with("type ")) {
            map.insert(name.to_string(), file.clone());
        }
    }
    map
}

fn parse_classes(file: &Path, text: &str) -> Vec<(String, Class)> {
    let import = Regex::new(r"import \* as (\w+) from '([^']+)';").expect("valid regex");
    let aliases: HashMap<String, PathBuf> =
        import.captures_iter(text).map(|c| (c[1].to_string(), resolve_import(file, &c[2]))).collect();
    let class_re = Regex::new(r"^export class (\w+) extends APIResource \{").expect("valid regex");
    let child_re = Regex::new(r"^  (\w+): (\w+)\.(\w+)(?: =|;)").expect("valid regex");
    let method_re = Regex::new(r"^  (?:async )?(\w+)\(").expect("valid regex");
    let call_re = Regex::new(r"this\._client\.(get|post|put|patch|delete|getAPIList)\(\s*(?:path`([^`]*)`|'([^']*)')")
        .expect("valid regex");
    let mut out: Vec<(String, Class)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut method: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(c) = class_re.captures(line) {
            out.push((c[1].to_string(), Class::default()));
            method = None;
            continue;
        }
        if line.starts_with('}') {
            method = None;
            continue;
        }
        let Some((_, class)) = out.last_mut() else { continue };
        if let Some(c) = child_re.captures(line) {
            if let Some(target) = aliases.get(&c[2]) {
                class.children.push((c[1].to_string(), target.clone(), c[3].to_string()));
            }
            continue;
        }
        if let Some(c) = method_re.captures(line) {
            if &c[1] != "constructor" {
                method = Some(c[1].to_string());
            }
            continue;
        }
        let Some(name) = &method else { continue };
        if !line.contains("this._client.") {
            continue;
        }
        // The call's first argument may sit on the next line.
        let window = lines[i..lines.len().min(i + 3)].join("\n");
        if let Some(c) = call_re.captures(&window) {
            let verb = match &c[1] {
                "getAPIList" => "GET".to_string(),
                v => v.to_ascii_uppercase(),
            };
            let raw = c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            class.methods.push(Method { name: name.clone(), method: verb, path: template(raw) });
            method = None;
        }
    }
    out
}

/// Path parameters written as `{}`: `/calls/${id}` and `/calls/{call_control_id}` compare equal.
pub fn template(path: &str) -> String {
    let re = Regex::new(r"\$?\{[^}]*\}").expect("valid regex");
    re.replace_all(path, "{}").into_owned()
}

/// camelCase to the official SDKs' snake_case: `resend2faEmail` -> `resend_2fa_email`,
/// `retrieveSMSOtpStatus` -> `retrieve_sms_otp_status`, `messaging10dlc` -> `messaging_10dlc`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut word_len = 0;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        // A plural acronym (`IDs`, `IPs`) is one word.
        let plural_acronym = next == Some('s') && !chars.get(i + 2).is_some_and(|n| n.is_ascii_lowercase());
        let boundary = match prev {
            None | Some('_') => false,
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()) && !plural_acronym)
            }
            // A number starts a word unless it follows a one-letter one (`v1`).
            Some(p) if c.is_ascii_digit() => p.is_ascii_alphabetic() && word_len > 1,
            _ => false,
        };
        if boundary && !out.ends_with('_') {
            out.push('_');
            word_len = 0;
        }
        out.push(c.to_ascii_lowercase());
        word_len = if c == '_' { 0 } else { word_len + 1 };
    }
    out
}

/// The figures and mismatches of one comparison.
pub struct Report {
    pub shared: usize,
    pub matching: usize,
    pub only_official: usize,
    pub only_ours: Vec<String>,
    /// `METHOD /path`, ours, official.
    pub mismatches: Vec<(String, String, String)>,
}

/// Compares the generated names (`resource.chain.method` per `METHOD /path`) with the official ones.
pub fn compare(ours: &BTreeMap<(String, String), String>, official: &[OfficialOp]) -> Report {
    let mut by_key: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for op in official {
        by_key.entry((op.method.clone(), op.path.clone())).or_default().push(&op.chain);
    }
    let mut report = Report { shared: 0, matching: 0, only_official: 0, only_ours: Vec::new(), mismatches: Vec::new() };
    for ((method, path), chain) in ours {
        let Some(names) = by_key.get(&(method.clone(), template(path))) else {
            report.only_ours.push(format!("{method} {path}"));
            continue;
        };
        report.shared += 1;
        if names.contains(&chain.as_str()) {
            report.matching += 1;
        } else {
            report.mismatches.push((format!("{method} {path}"), chain.clone(), names[0].to_string()));
        }
    }
    let ours_keys: std::collections::HashSet<(String, String)> =
        ours.keys().map(|(m, p)| (m.clone(), template(p))).collect();
    report.only_official = by_key.keys().filter(|k| !ours_keys.contains(*k)).count();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_the_python_sdk() {
        for (camel, snake_name) in [
            ("resend2faEmail", "resend_2fa_email"),
            ("retrieveSMSOtpStatus", "retrieve_sms_otp_status"),
            ("messaging10dlc", "messaging_10dlc"),
            ("startPlayback", "start_playback"),
            ("dial", "dial"),
            ("oauthClients", "oauth_clients"),
            ("accessIPAddress", "access_ip_address"),
            ("alphanumericSenderIDs", "alphanumeric_sender_ids"),
            ("bulkSetPublicIPs", "bulk_set_public_ips"),
            ("v1", "v1"),
            ("list0", "list_0"),
            ("globalIPs", "global_ips"),
        ] {
            assert_eq!(snake(camel), snake_name, "{camel}");
        }
    }

    #[test]
    fn templates_ignore_parameter_names() {
        assert_eq!(template("/calls/${callControlID}/actions/answer"), "/calls/{}/actions/answer");
        assert_eq!(template("/calls/{call_control_id}/actions/answer"), "/calls/{}/actions/answer");
    }
}
