//! `${VAR}` interpolation of config strings from the environment.

/// Replaces every `${NAME}` in `input` with `lookup(NAME)`; `$$` is a literal `$`.
/// Returns the names that were not set (the caller reports them with the key's location).
pub fn interpolate(
    input: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Vec<String>> {
    if !input.contains('$') {
        return Ok(input.to_string());
    }
    let mut out = String::with_capacity(input.len());
    let mut missing = Vec::new();
    let mut rest = input;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else if let Some(body) = after.strip_prefix('{') {
            match body.find('}') {
                Some(end) if is_var_name(&body[..end]) => {
                    let name = &body[..end];
                    match lookup(name) {
                        Some(v) => out.push_str(&v),
                        None => missing.push(name.to_string()),
                    }
                    rest = &body[end + 1..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// True when `s` contains a `${NAME}` reference (its value may be a secret).
pub fn has_reference(s: &str) -> bool {
    s.match_indices("${").any(|(i, _)| {
        s[i + 2..]
            .find('}')
            .is_some_and(|e| is_var_name(&s[i + 2..i + 2 + e]))
    })
}

fn is_var_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "s3cret".to_string())
    }

    #[test]
    fn replaces_and_reports_missing() {
        assert_eq!(
            interpolate("Bearer ${TOKEN}", &env).unwrap(),
            "Bearer s3cret"
        );
        assert_eq!(interpolate("cost $$5 ${x", &env).unwrap(), "cost $5 ${x");
        assert_eq!(
            interpolate("${NOPE}-${TOKEN}-${ALSO}", &env).unwrap_err(),
            vec!["NOPE".to_string(), "ALSO".to_string()]
        );
        assert!(has_reference("a ${B_1} c"));
        assert!(!has_reference("a $B c"));
    }
}
