//! Key codes by name and the key script of `glassbox run --keys FILE`.
//!
//! Codes are USB HID usage IDs of the keyboard page (0x07), what the
//! keyboard device reports. A script is one event per line:
//!
//! ```text
//! # cycle  action   key
//! 1000     press    space
//! 25000    release  0x2c
//! ```
//!
//! KEY is a name from `KEY_NAMES` (any case) or a code in decimal or
//! `0x` hex (at most 0xffff). `#` starts a comment; blank lines are
//! skipped. Cycles must not decrease from one event to the next.

use serde::{Deserialize, Serialize};

/// Names and their HID codes (usage page 0x07).
pub const KEY_NAMES: &[(&str, u16)] = &[
    ("a", 0x04),
    ("b", 0x05),
    ("c", 0x06),
    ("d", 0x07),
    ("e", 0x08),
    ("f", 0x09),
    ("g", 0x0a),
    ("h", 0x0b),
    ("i", 0x0c),
    ("j", 0x0d),
    ("k", 0x0e),
    ("l", 0x0f),
    ("m", 0x10),
    ("n", 0x11),
    ("o", 0x12),
    ("p", 0x13),
    ("q", 0x14),
    ("r", 0x15),
    ("s", 0x16),
    ("t", 0x17),
    ("u", 0x18),
    ("v", 0x19),
    ("w", 0x1a),
    ("x", 0x1b),
    ("y", 0x1c),
    ("z", 0x1d),
    ("1", 0x1e),
    ("2", 0x1f),
    ("3", 0x20),
    ("4", 0x21),
    ("5", 0x22),
    ("6", 0x23),
    ("7", 0x24),
    ("8", 0x25),
    ("9", 0x26),
    ("0", 0x27),
    ("enter", 0x28),
    ("esc", 0x29),
    ("backspace", 0x2a),
    ("tab", 0x2b),
    ("space", 0x2c),
    ("minus", 0x2d),
    ("equal", 0x2e),
    ("comma", 0x36),
    ("period", 0x37),
    ("slash", 0x38),
    ("right", 0x4f),
    ("left", 0x50),
    ("down", 0x51),
    ("up", 0x52),
    ("lctrl", 0xe0),
    ("lshift", 0xe1),
    ("lalt", 0xe2),
    ("rctrl", 0xe4),
    ("rshift", 0xe5),
    ("ralt", 0xe6),
];

/// Other spellings accepted in scripts.
const ALIASES: &[(&str, &str)] = &[("return", "enter"), ("escape", "esc")];

/// The HID code of a key name (any case), or of a number.
pub fn key_code(name: &str) -> Option<u16> {
    let lower = name.to_ascii_lowercase();
    let lower = ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lower.as_str(), |(_, n)| n);
    if let Some(&(_, c)) = KEY_NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(c);
    }
    // Single digits are names (the digit keys), not codes.
    if lower.len() > 1 || !lower.as_bytes()[0].is_ascii_digit() {
        return parse_number(lower).and_then(|v| u16::try_from(v).ok());
    }
    None
}

/// The name of a HID code, if it has one.
pub fn key_name(code: u16) -> Option<&'static str> {
    KEY_NAMES.iter().find(|(_, c)| *c == code).map(|(n, _)| *n)
}

fn parse_number(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// One timed key event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    pub cycle: u64,
    pub code: u16,
    pub pressed: bool,
}

/// A parsed key script: events in order of their cycles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyScript {
    pub events: Vec<KeyEvent>,
}

/// A script line that could not be read: its number (from 1) and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct KeyScriptError {
    pub line: usize,
    pub reason: String,
}

impl KeyScript {
    pub fn parse(text: &str) -> Result<KeyScript, KeyScriptError> {
        let mut events = Vec::new();
        let mut last = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |reason: String| KeyScriptError { line, reason };
            let body = raw.split('#').next().unwrap_or("").trim();
            if body.is_empty() {
                continue;
            }
            let fields: Vec<&str> = body.split_whitespace().collect();
            let [cycle, action, key] = fields[..] else {
                return Err(err(format!(
                    "expected `CYCLE press|release KEY`, found {} field{}",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                )));
            };
            let cycle = parse_number(&cycle.to_ascii_lowercase())
                .ok_or_else(|| err(format!("`{cycle}` is not a cycle number")))?;
            let pressed = match action.to_ascii_lowercase().as_str() {
                "press" => true,
                "release" => false,
                _ => {
                    return Err(err(format!(
                        "`{action}` is not an action (expected `press` or `release`)"
                    )));
                }
            };
            let code = key_code(key).ok_or_else(|| {
                err(format!(
                    "`{key}` is not a key (a name such as `a`, `space`, `left`, or a HID code \
                     from 0 to 0xffff)"
                ))
            })?;
            if cycle < last {
                return Err(err(format!(
                    "cycle {cycle} comes before the previous event's cycle {last}"
                )));
            }
            last = cycle;
            events.push(KeyEvent {
                cycle,
                code,
                pressed,
            });
        }
        Ok(KeyScript { events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(key_code("a"), Some(0x04));
        assert_eq!(key_code("Z"), Some(0x1d));
        assert_eq!(key_code("1"), Some(0x1e));
        assert_eq!(key_code("0"), Some(0x27));
        assert_eq!(key_code("Space"), Some(0x2c));
        assert_eq!(key_code("return"), Some(0x28));
        assert_eq!(key_code("up"), Some(0x52));
        assert_eq!(key_code("0x2c"), Some(0x2c));
        assert_eq!(key_code("44"), Some(44));
        assert_eq!(key_code("0x10000"), None);
        assert_eq!(key_code("nope"), None);
        assert_eq!(key_name(0x50), Some("left"));
    }

    #[test]
    fn script_parses_and_reports_lines() {
        let s = KeyScript::parse("# game\n\n100 press left  # go\n0x200 release 0x50\n").unwrap();
        assert_eq!(
            s.events,
            vec![
                KeyEvent {
                    cycle: 100,
                    code: 0x50,
                    pressed: true
                },
                KeyEvent {
                    cycle: 0x200,
                    code: 0x50,
                    pressed: false
                },
            ]
        );
        let e = KeyScript::parse("1 press a\n2 push a\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: `push` is not an action (expected `press` or `release`)"
        );
        let e = KeyScript::parse("5 press a\n4 release a\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            e.reason,
            "cycle 4 comes before the previous event's cycle 5"
        );
        let e = KeyScript::parse("x press a").unwrap_err();
        assert_eq!(e.to_string(), "line 1: `x` is not a cycle number");
        let e = KeyScript::parse("1 press").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: expected `CYCLE press|release KEY`, found 2 fields"
        );
        let e = KeyScript::parse("1 press kitten").unwrap_err();
        assert!(e.to_string().starts_with("line 1: `kitten` is not a key"));
    }
}
