//! The ISA the assembler targets (`--march`): which extensions' mnemonics
//! are accepted and whether plain instructions are compressed (C).

use std::fmt;

/// An RV32 ISA string's extensions, as far as the assembler cares.
/// The default is `rv32im`, which keeps the output of programs written
/// before C existed identical.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Isa {
    /// M: multiply and divide.
    pub m: bool,
    /// A: `lr.w`, `sc.w` and the `amo*.w` instructions.
    pub a: bool,
    /// C: compressed instructions; GNU `as` then compresses what it can.
    pub c: bool,
}

impl Default for Isa {
    fn default() -> Self {
        Isa::RV32IM
    }
}

impl Isa {
    pub const RV32IM: Isa = Isa {
        m: true,
        a: false,
        c: false,
    };
    pub const RV32IMAC: Isa = Isa {
        m: true,
        a: true,
        c: true,
    };

    /// The choices offered in menus, plainest first.
    pub const CHOICES: [Isa; 4] = [
        Isa::RV32IM,
        Isa {
            m: true,
            a: false,
            c: true,
        },
        Isa {
            m: true,
            a: true,
            c: false,
        },
        Isa::RV32IMAC,
    ];

    /// Parses `rv32i`, `rv32im`, `rv32imac`, ... (GNU's letter order, case
    /// ignored), optionally followed by `_zicsr`, `_zifencei` (always on
    /// here) or `_zca`, which is C.
    pub fn parse(text: &str) -> Result<Isa, String> {
        let lower = text.trim().to_ascii_lowercase();
        let bad = |why: &str| {
            format!(
                "unsupported ISA `{text}`: {why}; use rv32i followed by any of m, a, c in this order (e.g. rv32imac)"
            )
        };
        let mut parts = lower.split('_');
        let base = parts.next().unwrap_or_default();
        let Some(letters) = base.strip_prefix("rv32") else {
            return Err(bad("Glassbox is a 32-bit machine, so it starts with rv32"));
        };
        let Some(letters) = letters.strip_prefix('i') else {
            return Err(bad("the base must be i"));
        };
        let mut isa = Isa {
            m: false,
            a: false,
            c: false,
        };
        let mut rest = letters;
        for (letter, flag) in [('m', &mut isa.m), ('a', &mut isa.a), ('c', &mut isa.c)] {
            if let Some(r) = rest.strip_prefix(letter) {
                *flag = true;
                rest = r;
            }
        }
        if let Some(x) = rest.chars().next() {
            let why = match x {
                'f' | 'd' | 'q' | 'g' => format!("Glassbox has no floating point (`{x}`)"),
                'v' => "Glassbox has no vector unit (`v`)".to_string(),
                _ => format!("`{x}` is not an extension here, or is out of order"),
            };
            return Err(bad(&why));
        }
        for ext in parts {
            match ext {
                "zicsr" | "zifencei" => {}
                "zca" => isa.c = true,
                _ => return Err(bad(&format!("unknown extension `{ext}`"))),
            }
        }
        Ok(isa)
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rv32i")?;
        for (letter, on) in [('m', self.m), ('a', self.a), ('c', self.c)] {
            if on {
                write!(f, "{letter}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isa_strings_round_trip_and_bad_ones_say_why() {
        for isa in Isa::CHOICES {
            assert_eq!(Isa::parse(&isa.to_string()), Ok(isa));
        }
        assert_eq!(Isa::parse("RV32IMAC_zicsr_zifencei"), Ok(Isa::RV32IMAC));
        assert_eq!(Isa::parse("rv32i").unwrap().to_string(), "rv32i");
        assert!(
            Isa::parse("rv32imafdc")
                .unwrap_err()
                .contains("no floating point")
        );
        assert!(Isa::parse("rv64imac").unwrap_err().contains("32-bit"));
        assert!(Isa::parse("rv32icm").unwrap_err().contains("out of order"));
    }
}
