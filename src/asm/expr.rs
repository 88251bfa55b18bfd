//! Constant expressions: GNU `as` operators and precedence, over 64-bit
//! wrapping integers. Symbols stay symbolic until the layout knows their
//! addresses; absolute `.equ` values are substituted as they are parsed
//! (so `.set x, x+1` works as in GNU `as`).

use super::lexer::{Tok, Token};

/// Deepest nesting of parentheses/unary operators accepted, so hostile
/// input cannot overflow the stack.
const MAX_DEPTH: u32 = 200;

#[derive(Clone, Debug)]
pub enum Expr {
    Num(i64),
    /// A symbol; `shown` is how the source wrote it (`1f` for local labels).
    Sym {
        name: String,
        shown: String,
        col: u32,
    },
    /// The location counter `.`: the start of the statement it appears in.
    Here {
        chunk: usize,
        frag: usize,
    },
    Unary(char, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
}

/// Why an expression has no value (yet).
#[derive(Debug)]
pub enum EvalError {
    /// Names a symbol with no definition (for parse-time evaluation, one not
    /// defined *yet*), with the column of the reference.
    Undefined {
        shown: String,
        col: u32,
    },
    DivByZero,
    Circular(String),
}

/// What the parser needs from the assembler: symbol lookup at parse time.
pub trait Scope {
    /// An absolute value already bound to `name`, if any.
    fn absolute(&self, name: &str) -> Option<i64>;
    /// `name` as written, mapped to its internal name (numeric local labels).
    fn local_ref(&self, n: u32, forward: bool) -> String;
    /// Where `.` is.
    fn here(&self) -> Expr;
}

pub struct Parser<'t, 's> {
    toks: &'t [Token],
    pos: usize,
    scope: &'s dyn Scope,
    depth: u32,
    /// Binary operators so far: bounds the depth of left-nested trees,
    /// which evaluation and drop walk recursively.
    operators: u32,
}

impl<'t, 's> Parser<'t, 's> {
    pub fn new(toks: &'t [Token], scope: &'s dyn Scope) -> Self {
        Parser {
            toks,
            pos: 0,
            scope,
            depth: 0,
            operators: 0,
        }
    }

    /// Parses the whole token slice as one expression. Errors carry a column.
    pub fn parse_all(mut self, end_col: u32) -> Result<Expr, (u32, String)> {
        let e = self.expr(0)?;
        if let Some(t) = self.toks.get(self.pos) {
            return Err((t.col, "unexpected text after the expression".into()));
        }
        let _ = end_col;
        Ok(e)
    }

    fn peek_punct(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Token {
                tok: Tok::Punct(p), ..
            }) => Some(p),
            _ => None,
        }
    }

    fn binary_level(op: &str) -> Option<u8> {
        Some(match op {
            "||" => 0,
            "&&" => 1,
            "+" | "-" | "==" | "!=" | "<>" | "<" | ">" | "<=" | ">=" => 2,
            "|" | "&" | "^" => 3,
            "*" | "/" | "%" | "<<" | ">>" => 4,
            _ => return None,
        })
    }

    fn expr(&mut self, min_level: u8) -> Result<Expr, (u32, String)> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_punct() {
            let Some(level) = Self::binary_level(op) else {
                break;
            };
            if level < min_level {
                break;
            }
            self.pos += 1;
            self.operators += 1;
            if self.operators > MAX_DEPTH {
                let col = self.toks.get(self.pos - 1).map_or(0, |t| t.col);
                return Err((
                    col,
                    format!("expression is too long (more than {MAX_DEPTH} operators)"),
                ));
            }
            let rhs = self.expr(level + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, (u32, String)> {
        self.depth += 1;
        let col = self.toks.get(self.pos).map_or(0, |t| t.col);
        if self.depth > MAX_DEPTH {
            return Err((col, "expression is nested too deeply".into()));
        }
        let r = self.unary_inner(col);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, col: u32) -> Result<Expr, (u32, String)> {
        let Some(t) = self.toks.get(self.pos) else {
            let col = self.toks.last().map_or(1, |t| t.end);
            return Err((col, "expected a number or symbol here".into()));
        };
        self.pos += 1;
        Ok(match &t.tok {
            Tok::Num(v) => Expr::Num(*v),
            Tok::Ident(name) if name == "." => self.scope.here(),
            Tok::Ident(name) => match self.scope.absolute(name) {
                Some(v) => Expr::Num(v),
                None => Expr::Sym {
                    name: name.clone(),
                    shown: name.clone(),
                    col,
                },
            },
            Tok::LocalRef(n, fwd) => Expr::Sym {
                name: self.scope.local_ref(*n, *fwd),
                shown: format!("{n}{}", if *fwd { 'f' } else { 'b' }),
                col,
            },
            Tok::Punct("(") => {
                let e = self.expr(0)?;
                match self.peek_punct() {
                    Some(")") => self.pos += 1,
                    _ => {
                        let c = self
                            .toks
                            .get(self.pos)
                            .map_or_else(|| self.toks.last().map_or(col, |t| t.end), |t| t.col);
                        return Err((c, "missing `)`".into()));
                    }
                }
                e
            }
            Tok::Punct(p @ ("-" | "~" | "!" | "+")) => {
                let e = self.unary()?;
                match *p {
                    "+" => e,
                    p => Expr::Unary(p.chars().next().unwrap_or('-'), Box::new(e)),
                }
            }
            Tok::Str(_) => return Err((col, "a string cannot be used as a number here".into())),
            Tok::Punct(p) => {
                return Err((col, format!("expected a number or symbol, found `{p}`")));
            }
        })
    }
}

/// Evaluates with `lookup` giving symbol and `.` values. Wrapping 64-bit
/// arithmetic, as GNU `as` on a 64-bit host; comparisons give -1 for true.
pub fn eval(
    e: &Expr,
    lookup: &mut dyn FnMut(&Expr) -> Result<i64, EvalError>,
) -> Result<i64, EvalError> {
    Ok(match e {
        Expr::Num(v) => *v,
        Expr::Sym { .. } | Expr::Here { .. } => lookup(e)?,
        Expr::Unary(op, a) => {
            let a = eval(a, lookup)?;
            match op {
                '-' => a.wrapping_neg(),
                '~' => !a,
                _ => i64::from(a == 0),
            }
        }
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a, lookup)?, eval(b, lookup)?);
            let t = |c: bool| if c { -1 } else { 0 };
            match *op {
                "+" => a.wrapping_add(b),
                "-" => a.wrapping_sub(b),
                "*" => a.wrapping_mul(b),
                "/" => a.checked_div(b).ok_or(EvalError::DivByZero).or_else(|e| {
                    if b == -1 {
                        Ok(a.wrapping_neg())
                    } else {
                        Err(e)
                    }
                })?,
                "%" => a
                    .checked_rem(b)
                    .ok_or(EvalError::DivByZero)
                    .or_else(|e| if b == -1 { Ok(0) } else { Err(e) })?,
                "<<" => {
                    if (0..64).contains(&b) {
                        a.wrapping_shl(b as u32)
                    } else {
                        0
                    }
                }
                // GNU shifts right as unsigned.
                ">>" => {
                    if (0..64).contains(&b) {
                        ((a as u64) >> b) as i64
                    } else {
                        0
                    }
                }
                "&" => a & b,
                "|" => a | b,
                "^" => a ^ b,
                "==" => t(a == b),
                "!=" | "<>" => t(a != b),
                "<" => t(a < b),
                ">" => t(a > b),
                "<=" => t(a <= b),
                ">=" => t(a >= b),
                "&&" => i64::from(a != 0 && b != 0),
                _ => i64::from(a != 0 || b != 0),
            }
        }
    })
}

/// The expression's value if it needs no symbols.
pub fn eval_const(e: &Expr) -> Result<i64, EvalError> {
    eval(e, &mut |s| match s {
        Expr::Sym { shown, col, .. } => Err(EvalError::Undefined {
            shown: shown.clone(),
            col: *col,
        }),
        _ => Err(EvalError::Undefined {
            shown: ".".into(),
            col: 0,
        }),
    })
}
