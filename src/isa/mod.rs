//! The instruction set: decoding, names and semantics. Nothing here knows
//! about memory, devices or timing.

pub mod csr;
pub mod decode;
pub mod decode_c;
pub mod exec;
pub mod inst;
pub mod reg;

pub use decode::{decode, inst_bits, inst_len};
pub use inst::{Inst, InstClass, Op};
