//! "Did you mean ...?" for misspelt mnemonics, directives and symbols.

/// Levenshtein distance, capped: strings longer than 64 characters are
/// never close to anything a beginner meant.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a distance that still looks like a typo
/// (ties go to the first listed, so common names should come first).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = if word.len() <= 3 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (distance(&word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The register a mistyped register name most likely meant (`t0q` →
/// `t0`): ABI names first, then `x0`-`x31` and `fp`.
pub fn register(word: &str) -> Option<&'static str> {
    const X: [&str; 32] = [
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
        "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26",
        "x27", "x28", "x29", "x30", "x31",
    ];
    let names = crate::isa::reg::ABI_NAMES.iter().chain(&X).chain(&["fp"]);
    closest(word, names.copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("ad", ["add", "sub"]), Some("add"));
        assert_eq!(closest("addd", ["add", "addi"]), Some("add"));
        assert_eq!(closest("xyzzy", ["add", "sub"]), None);
        assert_eq!(register("t0q"), Some("t0"));
        assert_eq!(register("x32"), Some("x2"));
        assert_eq!(register("loop"), None);
    }
}
