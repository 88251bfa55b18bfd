//! Counted words in messages: `1 cycle`, `2 cycles`. One rule for the
//! GUI, the CLI and the library's errors, so no message says `1 cycles`.

/// `""` for one, `"s"` otherwise: `format!("{n} cycle{}", plural_s(n))`.
pub fn plural_s(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `1 cycle`, `2 cycles`: a count and a noun phrase whose last word
/// takes an `s` unless the count is one (all the GUI's and the CLI's
/// counted words are regular).
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
