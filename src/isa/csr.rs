//! CSR numbers and names. The machine-mode behaviour of each CSR lives in
//! `machine::csr`; this file only says which numbers exist.

pub const MSTATUS: u16 = 0x300;
pub const MISA: u16 = 0x301;
pub const MIE: u16 = 0x304;
pub const MTVEC: u16 = 0x305;
pub const MSCRATCH: u16 = 0x340;
pub const MEPC: u16 = 0x341;
pub const MCAUSE: u16 = 0x342;
pub const MTVAL: u16 = 0x343;
pub const MIP: u16 = 0x344;
pub const MVENDORID: u16 = 0xf11;
pub const MARCHID: u16 = 0xf12;
pub const MIMPID: u16 = 0xf13;
pub const MHARTID: u16 = 0xf14;
pub const MCYCLE: u16 = 0xb00;
pub const MINSTRET: u16 = 0xb02;
pub const MCYCLEH: u16 = 0xb80;
pub const MINSTRETH: u16 = 0xb82;
pub const CYCLE: u16 = 0xc00;
pub const TIME: u16 = 0xc01;
pub const INSTRET: u16 = 0xc02;
pub const CYCLEH: u16 = 0xc80;
pub const TIMEH: u16 = 0xc81;
pub const INSTRETH: u16 = 0xc82;

/// Every CSR this machine implements, with its assembler name.
pub const IMPLEMENTED: &[(u16, &str)] = &[
    (MSTATUS, "mstatus"),
    (MISA, "misa"),
    (MIE, "mie"),
    (MTVEC, "mtvec"),
    (MSCRATCH, "mscratch"),
    (MEPC, "mepc"),
    (MCAUSE, "mcause"),
    (MTVAL, "mtval"),
    (MIP, "mip"),
    (MVENDORID, "mvendorid"),
    (MARCHID, "marchid"),
    (MIMPID, "mimpid"),
    (MHARTID, "mhartid"),
    (MCYCLE, "mcycle"),
    (MINSTRET, "minstret"),
    (MCYCLEH, "mcycleh"),
    (MINSTRETH, "minstreth"),
    (CYCLE, "cycle"),
    (TIME, "time"),
    (INSTRET, "instret"),
    (CYCLEH, "cycleh"),
    (TIMEH, "timeh"),
    (INSTRETH, "instreth"),
];

/// The architectural name of an implemented CSR.
pub fn name(csr: u16) -> Option<&'static str> {
    IMPLEMENTED
        .iter()
        .find(|(n, _)| *n == csr)
        .map(|(_, name)| *name)
}

/// CSRs whose address marks them read-only (bits 11:10 = 11).
pub fn is_read_only(csr: u16) -> bool {
    csr >> 10 == 3
}
