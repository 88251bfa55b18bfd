//! Symbol table of a loaded program: names for addresses (disassembly labels,
//! go-to-symbol) and addresses for names (`tohost`, breakpoints).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SymbolKind {
    Function,
    Object,
    /// Labels without a type (assembly labels, section markers).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Symbol {
    pub name: String,
    pub addr: u32,
    pub size: u32,
    pub kind: SymbolKind,
}

/// Symbols sorted by address; several may share one address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolTable {
    symbols: Vec<Symbol>,
    by_name: BTreeMap<String, u32>,
}

impl SymbolTable {
    pub fn new(mut symbols: Vec<Symbol>) -> Self {
        // Stable sort keeps the file's order among symbols at one address.
        symbols.sort_by_key(|s| s.addr);
        let mut by_name = BTreeMap::new();
        for s in &symbols {
            by_name.entry(s.name.clone()).or_insert(s.addr);
        }
        SymbolTable { symbols, by_name }
    }

    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Symbol> {
        self.symbols.iter()
    }

    /// Address of the first symbol with this name.
    pub fn lookup(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// The symbol that labels exactly this address, if any.
    pub fn label_at(&self, addr: u32) -> Option<&str> {
        let i = self.symbols.partition_point(|s| s.addr < addr);
        self.symbols
            .get(i)
            .filter(|s| s.addr == addr)
            .map(|s| s.name.as_str())
    }

    /// The nearest symbol at or below `addr`, with the offset from it:
    /// what objdump prints as `<name+0x10>`.
    pub fn nearest(&self, addr: u32) -> Option<(&str, u32)> {
        let i = self.symbols.partition_point(|s| s.addr <= addr);
        if i == 0 {
            return None;
        }
        let s = &self.symbols[i - 1];
        Some((s.name.as_str(), addr - s.addr))
    }
}
