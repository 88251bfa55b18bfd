//! TEMPORARY STUB: replaced by the real disassembler.
use crate::symbols::SymbolTable;
pub fn disasm(word: u32, _pc: u32, _s: &SymbolTable) -> String {
    format!(".word {word:#x}")
}
pub fn listing(_r: &[(u32, &[u8])], _s: &SymbolTable) -> String {
    String::new()
}
