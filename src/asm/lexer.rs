//! Source text → statements of tokens. Comments (`#`, `//`, `/* */`) are
//! removed first, keeping line numbers; `;` separates statements on a line,
//! as in GNU `as` for RISC-V. Columns are 1-based character positions.

use super::Diag;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Num(i64),
    /// Numeric local label reference: `1b` (forward = false) or `1f`.
    LocalRef(u32, bool),
    Str(Vec<u8>),
    Punct(&'static str),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub col: u32,
    /// Column one past the token's last character.
    pub end: u32,
}

/// One statement: its line, its tokens, and the line's characters (for
/// quoting operands in messages).
pub struct Statement {
    pub line: u32,
    pub tokens: Vec<Token>,
    pub chars: std::rc::Rc<Vec<char>>,
}

/// Replaces comments by spaces (keeping newlines and columns) and splits
/// the result into lines of characters.
fn strip_comments(src: &str) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = vec![Vec::new()];
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut in_block = false;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            out.push(Vec::new());
            i += 1;
            continue;
        }
        let line = out.last_mut().expect("never empty");
        if in_block {
            if c == '*' && next == Some('/') {
                in_block = false;
                line.extend([' ', ' ']);
                i += 2;
            } else {
                line.push(' ');
                i += 1;
            }
            continue;
        }
        match c {
            '/' if next == Some('*') => {
                in_block = true;
                line.extend([' ', ' ']);
                i += 2;
            }
            '#' => skip_to_eol(&chars, &mut i),
            '/' if next == Some('/') => skip_to_eol(&chars, &mut i),
            '"' => {
                // Copy the string literal whole so comment characters in it stay.
                line.push(c);
                i += 1;
                while i < chars.len() && chars[i] != '\n' {
                    line.push(chars[i]);
                    i += 1;
                    match chars[i - 1] {
                        '\\' if i < chars.len() && chars[i] != '\n' => {
                            line.push(chars[i]);
                            i += 1;
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A character literal: 'c', '\n' or GNU's unterminated 'c.
                line.push(c);
                i += 1;
                let len = if chars.get(i) == Some(&'\\') { 2 } else { 1 };
                for _ in 0..len {
                    if i < chars.len() && chars[i] != '\n' {
                        line.push(chars[i]);
                        i += 1;
                    }
                }
                if chars.get(i) == Some(&'\'') {
                    line.push('\'');
                    i += 1;
                }
            }
            _ => {
                line.push(c);
                i += 1;
            }
        }
    }
    out
}

fn skip_to_eol(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i] != '\n' {
        *i += 1;
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '$'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'
}

const PUNCTS: [&str; 22] = [
    "<<", ">>", "==", "!=", "<=", ">=", "&&", "||", "<>", ",", "(", ")", "+", "-", "*", "/", "%",
    "&", "|", "^", "~", "!",
];
const PUNCTS1: [&str; 5] = [":", "<", ">", "=", "@"];

/// Tokenizes the whole source into statements, reporting bad characters,
/// numbers and strings (the statement keeps the tokens before the error).
pub fn tokenize(src: &str, diags: &mut Vec<Diag>) -> Vec<Statement> {
    let mut stmts = Vec::new();
    for (n, chars) in strip_comments(src).into_iter().enumerate() {
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let chars = std::rc::Rc::new(chars);
        let mut tokens = Vec::new();
        let mut i = 0;
        let mut bad_line = false;
        while i < chars.len() {
            let c = chars[i];
            let col = i as u32 + 1;
            if c == ';' {
                stmts.push(Statement {
                    line,
                    tokens: std::mem::take(&mut tokens),
                    chars: chars.clone(),
                });
                bad_line = false;
                i += 1;
                continue;
            }
            if c.is_whitespace() || bad_line {
                i += 1;
                continue;
            }
            match lex_one(&chars, &mut i) {
                Ok(tok) => tokens.push(Token {
                    tok,
                    col,
                    end: i as u32 + 1,
                }),
                Err(msg) => {
                    diags.push(Diag::new(line, col, msg));
                    // Skip the rest of this statement: one error per statement.
                    bad_line = true;
                    tokens.clear();
                }
            }
        }
        stmts.push(Statement {
            line,
            tokens,
            chars,
        });
    }
    stmts
}

fn lex_one(chars: &[char], i: &mut usize) -> Result<Tok, String> {
    let c = chars[*i];
    if c.is_ascii_digit() {
        return lex_number(chars, i);
    }
    if is_ident_start(c) {
        let start = *i;
        while *i < chars.len() && is_ident_char(chars[*i]) {
            *i += 1;
        }
        return Ok(Tok::Ident(chars[start..*i].iter().collect()));
    }
    if c == '"' {
        return lex_string(chars, i).map(Tok::Str);
    }
    if c == '\'' {
        *i += 1;
        let v = match chars.get(*i) {
            None => return Err("character literal has no character after '".into()),
            Some('\\') => lex_escape(chars, i)?,
            Some(&ch) => {
                *i += 1;
                i64::from(u32::from(ch))
            }
        };
        if chars.get(*i) == Some(&'\'') {
            *i += 1;
        }
        return Ok(Tok::Num(v));
    }
    for p in PUNCTS.iter().chain(PUNCTS1.iter()) {
        let pc: Vec<char> = p.chars().collect();
        if chars[*i..].starts_with(&pc) {
            *i += pc.len();
            return Ok(Tok::Punct(p));
        }
    }
    *i += 1;
    Err(format!("unexpected character '{c}'"))
}

fn lex_number(chars: &[char], i: &mut usize) -> Result<Tok, String> {
    let start = *i;
    let mut end = start;
    while end < chars.len() && chars[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let word: String = chars[start..end].iter().collect();
    *i = end;
    // `1b` / `1f`: references to numeric local labels.
    if let Some(last) = word.chars().last()
        && (last == 'b' || last == 'f')
        && word.len() > 1
        && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit())
    {
        let n: u32 = word[..word.len() - 1]
            .parse()
            .map_err(|_| format!("local label number `{word}` is too large"))?;
        return Ok(Tok::LocalRef(n, last == 'f'));
    }
    let lower = word.to_ascii_lowercase();
    let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
        (h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (b, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() {
        return Err(format!(
            "`{word}` is not a number: digits are missing after the prefix"
        ));
    }
    let v = u64::from_str_radix(digits, radix).map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => format!("number `{word}` does not fit in 64 bits"),
        _ => format!("`{word}` is not a valid base-{radix} number"),
    })?;
    Ok(Tok::Num(v as i64))
}

/// Reads a backslash escape at `chars[*i] == '\\'`; returns its value.
fn lex_escape(chars: &[char], i: &mut usize) -> Result<i64, String> {
    *i += 1;
    let Some(&c) = chars.get(*i) else {
        return Err("escape sequence is cut off at the end of the line".into());
    };
    *i += 1;
    Ok(match c {
        'n' => 10,
        't' => 9,
        'r' => 13,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        'a' => 7,
        'e' => 27,
        'x' | 'X' => {
            let mut v: i64 = 0;
            let mut any = false;
            while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(16)) {
                v = (v << 4 | i64::from(d)) & 0xff;
                any = true;
                *i += 1;
            }
            if !any {
                return Err("`\\x` must be followed by hexadecimal digits".into());
            }
            v
        }
        '0'..='7' => {
            let mut v = i64::from(c as u8 - b'0');
            for _ in 0..2 {
                match chars.get(*i).and_then(|c| c.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + i64::from(d);
                        *i += 1;
                    }
                    None => break,
                }
            }
            v & 0xff
        }
        other => i64::from(u32::from(other)),
    })
}

fn lex_string(chars: &[char], i: &mut usize) -> Result<Vec<u8>, String> {
    *i += 1;
    let mut out = Vec::new();
    loop {
        match chars.get(*i) {
            None => return Err("string is missing its closing `\"`".into()),
            Some('"') => {
                *i += 1;
                return Ok(out);
            }
            Some('\\') => {
                let v = lex_escape(chars, i)?;
                if v > 0xff {
                    let mut buf = [0; 4];
                    let c = char::from_u32(v as u32).unwrap_or('?');
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                } else {
                    out.push(v as u8);
                }
            }
            Some(&c) => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                *i += 1;
            }
        }
    }
}
