//! Condition expressions for breakpoints: `a0 == 3 && mem32[sp + 8] > 10`.
//!
//! # Language
//!
//! - Operands: integer literals (decimal, `0x` hex, `0b` binary, `_`
//!   separators), registers by ABI name (`a0`, `sp`, `fp`) or number
//!   (`x0`..`x31`), `pc`, CSRs by name (`mstatus`, `mcause`, `cycle`, ...),
//!   memory as the CPU would read it (`mem8[addr]`, `mem16[addr]`,
//!   `mem32[addr]`, little-endian, zero-extended), and program symbols
//!   (their address, resolved when evaluated).
//! - Operators, loosest first, as in C: `||`; `&&`; `|`; `^`; `&`;
//!   `==` `!=`; `<` `<=` `>` `>=`; `<<` `>>`; `+` `-`; `*` `/` `%`; unary
//!   `!` `-` `~`; parentheses.
//!
//! # Values and signedness
//!
//! Every value is a 32-bit word, as in the registers; arithmetic wraps at
//! 32 bits. A value is *unsigned* unless marked with `signed(...)`
//! (`unsigned(...)` removes the mark). Comparisons, `/`, `%` and `>>` are
//! signed when either operand is signed, unsigned otherwise: `a0 < 0` is
//! never true, `signed(a0) < 0` is true for a negative `a0`, and
//! `signed(a0) < -5` compares with −5. The result of an arithmetic or
//! bitwise operator is signed when either operand is; comparisons and
//! `&&`, `||`, `!` give unsigned 0 or 1. A value is true when non-zero.
//!
//! # Errors
//!
//! A malformed expression is a `ParseError` naming the 1-based column and
//! what was expected there (`expected register, number or '(' at column
//! 9`). Evaluation reads the machine through `Machine::peek` and
//! `csr_read` only (it changes nothing) and fails with an `EvalError` for
//! unmapped memory, an unknown symbol or a division by zero; nothing
//! panics, whatever the input.

use crate::isa::{csr, reg};
use crate::machine::Machine;
use std::fmt;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    source: String,
    root: Node,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Num(u32),
    Reg(u8),
    Pc,
    Csr(u16),
    Symbol(String),
    Mem(u32, Box<Node>),
    Sign(bool, Box<Node>),
    Unary(UnOp, Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnOp {
    Not,
    Neg,
    BitNot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
    Or,
    And,
    BitOr,
    BitXor,
    BitAnd,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Shl,
    Shr,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// Binary operators by precedence level, loosest first.
const LEVELS: &[&[(&str, BinOp)]] = &[
    &[("||", BinOp::Or)],
    &[("&&", BinOp::And)],
    &[("|", BinOp::BitOr)],
    &[("^", BinOp::BitXor)],
    &[("&", BinOp::BitAnd)],
    &[("==", BinOp::Eq), ("!=", BinOp::Ne)],
    &[
        ("<=", BinOp::Le),
        (">=", BinOp::Ge),
        ("<", BinOp::Lt),
        (">", BinOp::Gt),
    ],
    &[("<<", BinOp::Shl), (">>", BinOp::Shr)],
    &[("+", BinOp::Add), ("-", BinOp::Sub)],
    &[("*", BinOp::Mul), ("/", BinOp::Div), ("%", BinOp::Rem)],
];

/// Nesting deeper than this is refused (keeps the recursive parser and
/// evaluator far from the stack's end).
const MAX_DEPTH: usize = 64;

/// Longer expressions are refused: a chain like `1+1+…` nests as deep as
/// it is long, and evaluation recurses through it.
const MAX_LEN: usize = 1024;

/// Why an expression does not parse: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

impl std::error::Error for ParseError {}

/// Why an expression could not be evaluated on a machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError(pub String);

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EvalError {}

const EXPECTED_OPERAND: &str = "expected register, number or '('";

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn skip_ws(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn error<T>(&self, at: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            column: at + 1,
            message: message.into(),
        })
    }

    /// Consumes `op` if it comes next (and is not the start of a longer
    /// operator, such as `|` of `||` or `<` of `<<`).
    fn eat(&mut self, op: &str) -> bool {
        self.skip_ws();
        let n = op.chars().count();
        let matches = op
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i) == Some(&c));
        if !matches {
            return false;
        }
        let next = self.chars.get(self.pos + n).copied();
        let longer = match op {
            "|" => next == Some('|'),
            "&" => next == Some('&'),
            "<" => matches!(next, Some('<' | '=')),
            ">" => matches!(next, Some('>' | '=')),
            "!" => next == Some('='),
            _ => false,
        };
        if longer {
            return false;
        }
        self.pos += n;
        true
    }

    fn expect(&mut self, op: &str, what: &str) -> Result<(), ParseError> {
        if self.eat(op) {
            return Ok(());
        }
        self.error(self.pos, format!("expected {what}"))
    }

    fn binary(&mut self, level: usize) -> Result<Node, ParseError> {
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        'more: loop {
            for &(text, op) in *ops {
                if self.eat(text) {
                    let right = self.binary(level + 1)?;
                    left = Node::Binary(op, Box::new(left), Box::new(right));
                    continue 'more;
                }
            }
            return Ok(left);
        }
    }

    /// A bracketed sub-expression opened at `open`.
    fn nested(&mut self, open: usize) -> Result<Node, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(open, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        let e = self.binary(0);
        self.depth -= 1;
        e
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        for (text, op) in [("!", UnOp::Not), ("-", UnOp::Neg), ("~", UnOp::BitNot)] {
            if self.eat(text) {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return self.error(self.pos, format!("nesting deeper than {MAX_DEPTH} levels"));
                }
                let e = self.unary()?;
                self.depth -= 1;
                return Ok(Node::Unary(op, Box::new(e)));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, ParseError> {
        self.skip_ws();
        let start = self.pos;
        let Some(&c) = self.chars.get(start) else {
            return self.error(start, format!("{EXPECTED_OPERAND}, found the end"));
        };
        if c == '(' {
            self.pos += 1;
            let e = self.nested(start)?;
            self.expect(")", "')'")?;
            return Ok(e);
        }
        if c.is_ascii_digit() {
            return self.number();
        }
        if !(c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '$') {
            return self.error(start, format!("{EXPECTED_OPERAND}, found '{c}'"));
        }
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$'))
        {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        let width = match name.as_str() {
            "mem8" => Some(1),
            "mem16" => Some(2),
            "mem32" => Some(4),
            _ => None,
        };
        if let Some(w) = width {
            self.expect("[", &format!("'[' after {name}"))?;
            let addr = self.nested(start)?;
            self.expect("]", "']'")?;
            return Ok(Node::Mem(w, Box::new(addr)));
        }
        if name == "signed" || name == "unsigned" {
            self.expect("(", &format!("'(' after {name}"))?;
            let e = self.nested(start)?;
            self.expect(")", "')'")?;
            return Ok(Node::Sign(name == "signed", Box::new(e)));
        }
        if name == "pc" {
            return Ok(Node::Pc);
        }
        if let Some(r) = reg::parse(&name) {
            return Ok(Node::Reg(r));
        }
        if let Some(&(n, _)) = csr::IMPLEMENTED.iter().find(|(_, s)| *s == name) {
            return Ok(Node::Csr(n));
        }
        Ok(Node::Symbol(name))
    }

    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        while self
            .chars
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos]
            .iter()
            .filter(|&&c| c != '_')
            .collect();
        let lower = text.to_ascii_lowercase();
        let (digits, radix) = if let Some(h) = lower.strip_prefix("0x") {
            (h, 16)
        } else if let Some(b) = lower.strip_prefix("0b") {
            (b, 2)
        } else {
            (lower.as_str(), 10)
        };
        match u64::from_str_radix(digits, radix) {
            Ok(v) if v <= u32::MAX as u64 => Ok(Node::Num(v as u32)),
            Ok(_) => self.error(start, "number does not fit in 32 bits"),
            Err(_) => self.error(
                start,
                format!(
                    "expected a number (decimal, 0x hex or 0b binary), found '{}'",
                    self.chars[start..self.pos].iter().collect::<String>()
                ),
            ),
        }
    }
}

/// A value with its signedness mark.
#[derive(Clone, Copy)]
struct Val {
    v: u32,
    signed: bool,
}

fn plain(v: u32) -> Val {
    Val { v, signed: false }
}

fn truth(b: bool) -> Val {
    plain(b as u32)
}

impl Expr {
    /// Parses an expression.
    pub fn parse(source: &str) -> Result<Expr, ParseError> {
        let mut p = Parser {
            chars: source.chars().collect(),
            pos: 0,
            depth: 0,
        };
        if p.chars.len() > MAX_LEN {
            return p.error(
                MAX_LEN,
                format!("expression longer than {MAX_LEN} characters"),
            );
        }
        let root = p.binary(0)?;
        p.skip_ws();
        if let Some(&c) = p.chars.get(p.pos) {
            let hint = if c == '=' { " (compare with '==')" } else { "" };
            return p.error(
                p.pos,
                format!("expected an operator or the end, found '{c}'{hint}"),
            );
        }
        Ok(Expr {
            source: source.to_string(),
            root,
        })
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Its value on `m` (changes nothing).
    pub fn eval(&self, m: &Machine) -> Result<u32, EvalError> {
        eval(&self.root, m).map(|v| v.v)
    }

    /// Whether it holds (is non-zero) on `m`.
    pub fn holds(&self, m: &Machine) -> Result<bool, EvalError> {
        self.eval(m).map(|v| v != 0)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn eval(n: &Node, m: &Machine) -> Result<Val, EvalError> {
    Ok(match n {
        Node::Num(v) => plain(*v),
        Node::Reg(r) => plain(m.hart.reg(*r)),
        Node::Pc => plain(m.hart.pc),
        Node::Csr(c) => plain(m.csr_read(*c).ok_or_else(|| {
            EvalError(format!(
                "CSR {} cannot be read",
                csr::name(*c).unwrap_or("?")
            ))
        })?),
        Node::Symbol(s) => plain(m.symbols().lookup(s).ok_or_else(|| {
            EvalError(format!(
                "unknown name '{s}': not a register, CSR or symbol of the program"
            ))
        })?),
        Node::Mem(w, addr) => {
            let a = eval(addr, m)?.v;
            plain(m.peek(a, *w).ok_or_else(|| {
                EvalError(format!(
                    "mem{}[{a:#010x}] cannot be read: the address is not mapped",
                    8 * w
                ))
            })?)
        }
        Node::Sign(signed, e) => Val {
            v: eval(e, m)?.v,
            signed: *signed,
        },
        Node::Unary(op, e) => {
            let x = eval(e, m)?;
            match op {
                UnOp::Not => truth(x.v == 0),
                UnOp::Neg => Val {
                    v: x.v.wrapping_neg(),
                    ..x
                },
                UnOp::BitNot => Val { v: !x.v, ..x },
            }
        }
        Node::Binary(BinOp::And, a, b) => truth(eval(a, m)?.v != 0 && eval(b, m)?.v != 0),
        Node::Binary(BinOp::Or, a, b) => truth(eval(a, m)?.v != 0 || eval(b, m)?.v != 0),
        Node::Binary(op, a, b) => binary(*op, eval(a, m)?, eval(b, m)?)?,
    })
}

fn binary(op: BinOp, a: Val, b: Val) -> Result<Val, EvalError> {
    let signed = a.signed || b.signed;
    let (x, y) = (a.v, b.v);
    let (sx, sy) = (x as i32, y as i32);
    let cmp = |u: bool, s: bool| truth(if signed { s } else { u });
    let num = |v: u32| Val { v, signed };
    Ok(match op {
        BinOp::Eq => truth(x == y),
        BinOp::Ne => truth(x != y),
        BinOp::Lt => cmp(x < y, sx < sy),
        BinOp::Le => cmp(x <= y, sx <= sy),
        BinOp::Gt => cmp(x > y, sx > sy),
        BinOp::Ge => cmp(x >= y, sx >= sy),
        BinOp::BitOr => num(x | y),
        BinOp::BitXor => num(x ^ y),
        BinOp::BitAnd => num(x & y),
        BinOp::Shl => num(x.checked_shl(y).unwrap_or(0)),
        BinOp::Shr if signed => num(sx.checked_shr(y).unwrap_or(sx >> 31) as u32),
        BinOp::Shr => num(x.checked_shr(y).unwrap_or(0)),
        BinOp::Add => num(x.wrapping_add(y)),
        BinOp::Sub => num(x.wrapping_sub(y)),
        BinOp::Mul => num(x.wrapping_mul(y)),
        BinOp::Div | BinOp::Rem if y == 0 => return Err(EvalError("division by zero".into())),
        BinOp::Div if signed => num(sx.wrapping_div(sy) as u32),
        BinOp::Div => num(x / y),
        BinOp::Rem if signed => num(sx.wrapping_rem(sy) as u32),
        BinOp::Rem => num(x % y),
        // `eval` short-circuits these; the same meaning here.
        BinOp::And => truth(x != 0 && y != 0),
        BinOp::Or => truth(x != 0 || y != 0),
    })
}
