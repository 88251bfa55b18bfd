//! Integer register names.

pub const ABI_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// ABI name of register `x<n>` (`n` is taken modulo 32).
pub fn abi_name(n: u8) -> &'static str {
    ABI_NAMES[(n & 31) as usize]
}

/// Parses `x5`, `t0` or `fp` into a register number.
pub fn parse(name: &str) -> Option<u8> {
    if name == "fp" {
        return Some(8);
    }
    if let Some(n) = name.strip_prefix('x').and_then(|d| d.parse::<u8>().ok()) {
        return (n < 32).then_some(n);
    }
    ABI_NAMES.iter().position(|&a| a == name).map(|i| i as u8)
}

pub const SP: u8 = 2;
pub const A0: u8 = 10;
pub const A1: u8 = 11;
pub const A2: u8 = 12;
pub const A7: u8 = 17;
