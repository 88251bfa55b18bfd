//! The functional core: one instruction per cycle, no pipeline. It is the
//! reference every timing model is checked against, and the fast path for
//! fast-forwarding, so the loop is kept tight: decode comes from the decode
//! cache, RAM accesses take a direct path, and anything that can change
//! interrupt or run state (CSR writes, MMIO, traps) raises `events`, which
//! sends control back to the outer loop.

use super::decode_cache::Table;
use super::trap::{Exception, Trap};
use super::{
    Halt, Machine, StopReason,
    hart::{MIP_MEIP, MIP_MTIP},
    misaligned,
};
use crate::config::Misaligned;
use crate::isa::exec::{alu, branch_target, load_extend, mem_addr};
use crate::isa::{Op, inst_bits};
use crate::memory::AccessKind;
use crate::platform::AccessFault;

impl Machine {
    /// The functional core's run loop (see `Machine::run`). The decode
    /// cache's table is taken out of the machine for the run, so the loop
    /// indexes it without going through `self`.
    pub(super) fn run_functional(&mut self, max_cycles: u64) -> StopReason {
        let mut table = self.decode_cache.take();
        let stop = self.run_functional_with(&mut table, max_cycles);
        self.decode_cache.put(table);
        stop
    }

    fn run_functional_with(&mut self, table: &mut Table, max_cycles: u64) -> StopReason {
        let limit = self.cycle.saturating_add(max_cycles);
        self.run_limit = limit;
        // A breakpoint at the pc we start from must not stop us at once.
        let mut skip_bp = Some(self.hart.pc);
        loop {
            if let Some(stop) = self.take_stop() {
                // A breakpoint at the pc the stop leaves us at is reported
                // next, not skipped as a starting point would be.
                let pc = self.hart.pc;
                if self.stops.is_empty()
                    && skip_bp != Some(pc)
                    && self.breakpoints.contains(&pc)
                    && self.halt.is_none()
                {
                    self.stops.push_back(StopReason::Breakpoint(pc));
                }
                return stop;
            }
            if let Some(h) = &self.halt {
                return StopReason::Halted(h.clone());
            }
            if self.waiting_for_input {
                self.waiting_for_input = false;
                return StopReason::NeedInput;
            }
            self.events = false;
            if let Some(i) = self.pending_interrupt() {
                self.take_interrupt(i);
                continue;
            }
            if self.cycle >= limit {
                return StopReason::CycleLimit;
            }
            let deadline = self.timer_deadline();
            let stop_at = if deadline > self.cycle {
                limit.min(deadline)
            } else {
                limit
            };
            // Breakpoints, watchpoints and caches only change between
            // runs, so the loop without them is chosen once here.
            if self.breakpoints.is_empty() && !self.watching && self.memory.is_none() {
                while self.cycle < stop_at && !self.events {
                    self.exec_one::<true>(table);
                }
            } else {
                while self.cycle < stop_at && !self.events {
                    let pc = self.hart.pc;
                    if !self.breakpoints.is_empty()
                        && skip_bp.take() != Some(pc)
                        && self.breakpoints.contains(&pc)
                    {
                        return StopReason::Breakpoint(pc);
                    }
                    self.exec_one::<false>(table);
                }
            }
        }
    }

    /// Executes exactly one instruction (or takes the trap it raises),
    /// letting a `wfi` sleep as long as it needs: the co-simulation
    /// checker's reference step. Returns false if it had to wait for input.
    pub(crate) fn exec_exactly_one(&mut self) -> bool {
        self.run_limit = u64::MAX;
        let mut table = self.decode_cache.take();
        self.exec_one::<false>(&mut table);
        self.decode_cache.put(table);
        let waited = self.waiting_for_input;
        self.waiting_for_input = false;
        !waited
    }

    /// Fetches, decodes and executes the instruction at pc. `PLAIN`: no
    /// caches and no watchpoints (the common case, checked by the caller),
    /// so the loop leaves out their tests.
    #[inline(always)]
    fn exec_one<const PLAIN: bool>(&mut self, table: &mut Table) {
        let pc = self.hart.pc;
        // The raw word at pc (for a compressed instruction, with the next
        // parcel above it) is the decode cache's tag; only the cold paths
        // need the instruction's own bits (`inst_bits`).
        let word = if !PLAIN && self.memory.is_some() {
            match self.fetch_cached(pc) {
                Ok(w) => w,
                Err(trap) => return self.fetch_fault(trap, pc),
            }
        } else {
            match self.bus.ram.fetch(pc) {
                Some(w) => w,
                None => match self.fetch_ram_edge(pc) {
                    Ok(w) => w,
                    Err(trap) => return self.fetch_fault(trap, pc),
                },
            }
        };
        // A branch on the length rather than a computed `pc + len`: the
        // host predicts it, so the next pc (the loop's chain from one
        // instruction to the next) does not wait for the fetched word.
        if word & 3 == 3 {
            self.exec_fetched::<PLAIN, 4>(table, pc, word);
        } else {
            self.exec_fetched::<PLAIN, 2>(table, pc, word);
        }
    }

    /// Decodes and executes the instruction at `pc`, `LEN` bytes long,
    /// whose raw word is `word`.
    #[inline(always)]
    fn exec_fetched<const PLAIN: bool, const LEN: u32>(
        &mut self,
        table: &mut Table,
        pc: u32,
        word: u32,
    ) {
        let inst = table.get(pc, word);
        debug_assert_eq!(inst.len as u32, LEN);
        let a = self.hart.reg(inst.rs1);
        let b = self.hart.reg(inst.rs2);
        let next = pc.wrapping_add(LEN);
        use Op::*;
        // One arm per ALU operation, so that `alu` inlines with a constant
        // op and each arm compiles to the single operation it names. They
        // cannot trap or wait, so they retire at once.
        macro_rules! alu_arms {
            ($($op:ident)*) => {
                match inst.op {
                    $($op => {
                        let v = alu(&inst, pc, a, b);
                        self.hart.set_reg(inst.rd, v);
                        self.retire::<PLAIN>(next);
                    })*
                    _ => self.exec_other::<PLAIN, LEN>(&inst, word, pc, a, b, next),
                }
            };
        }
        alu_arms!(
            Lui Auipc Addi Slti Sltiu Xori Ori Andi Slli Srli Srai Add Sub Sll Slt Sltu Xor
            Srl Sra Or And Mul Mulh Mulhsu Mulhu Div Divu Rem Remu
        );
    }

    /// Ends the cycle of an instruction that completed: pc moves to `next`.
    #[inline(always)]
    fn retire<const PLAIN: bool>(&mut self, next: u32) {
        self.cycle += 1;
        if !PLAIN && self.memory.is_some() {
            // The single-cycle core: memory stalls lengthen the cycle.
            self.cycle += self.take_stall();
        }
        self.hart.pc = next;
        self.instret += 1;
    }

    #[cold]
    fn fetch_cached(&mut self, pc: u32) -> Result<u32, Trap> {
        self.fetch_inst(pc)
    }

    /// Everything but the ALU operations: runs the instruction at `pc`
    /// (raw `word`, see `exec_one`) and ends its cycle.
    #[inline(always)]
    fn exec_other<const PLAIN: bool, const LEN: u32>(
        &mut self,
        inst: &crate::isa::Inst,
        word: u32,
        pc: u32,
        a: u32,
        b: u32,
        mut next: u32,
    ) {
        use Op::*;
        let inst = *inst;
        let bits = || inst_bits(word);
        let result = match inst.op {
            Jal | Jalr | Beq | Bne | Blt | Bge | Bltu | Bgeu => {
                match branch_target(&inst, pc, a, b) {
                    // IALIGN = 16: only an odd target is misaligned, which
                    // no encoding can produce (jalr clears bit 0); the
                    // check stays as the architectural rule.
                    Some(t) if t & 1 != 0 => Err(Trap::new(Exception::InstructionMisaligned, t)),
                    Some(t) => {
                        self.hart.set_reg(inst.rd, pc.wrapping_add(LEN));
                        next = t;
                        Ok(())
                    }
                    None => Ok(()),
                }
            }
            // One arm per width, so that each access compiles to one move.
            Lb => self.exec_load::<PLAIN>(&inst, bits, pc, a, 1),
            Lh => self.exec_load::<PLAIN>(&inst, bits, pc, a, 2),
            Lw => self.exec_load::<PLAIN>(&inst, bits, pc, a, 4),
            Lbu => self.exec_load::<PLAIN>(&inst, bits, pc, a, 1),
            Lhu => self.exec_load::<PLAIN>(&inst, bits, pc, a, 2),
            Sb => self.exec_store::<PLAIN>(&inst, bits, pc, a, b, 1),
            Sh => self.exec_store::<PLAIN>(&inst, bits, pc, a, b, 2),
            Sw => self.exec_store::<PLAIN>(&inst, bits, pc, a, b, 4),
            Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => {
                self.events = true;
                self.exec_csr(&inst, bits(), a)
                    .map(|v| self.hart.set_reg(inst.rd, v))
            }
            LrW | ScW | AmoswapW | AmoaddW | AmoxorW | AmoandW | AmoorW | AmominW | AmomaxW
            | AmominuW | AmomaxuW => {
                self.exec_atomic(&inst, a, b, (pc, bits()))
                    .map(|(v, tohost, hit)| {
                        self.hart.set_reg(inst.rd, v);
                        if let Some(hit) = hit {
                            self.push_stop(StopReason::Watchpoint(hit));
                        }
                        if tohost {
                            self.htif_store(pc)
                        }
                    })
            }
            Fence => Ok(()),
            FenceI => {
                self.pending_stall += self.fence_i_caches();
                Ok(())
            }
            Ecall if self.hart.mtvec == 0 => {
                self.events = true;
                self.stalled = !self.syscall();
                Ok(())
            }
            Ecall => Err(Trap::new(Exception::EcallFromM, 0)),
            Ebreak if self.is_semihost_call(pc) => {
                self.events = true;
                self.stalled = !self.semihost();
                Ok(())
            }
            Ebreak => Err(Trap::new(Exception::Breakpoint, pc)),
            Mret => {
                next = self.exec_mret();
                Ok(())
            }
            Wfi => {
                self.stalled = !self.wfi();
                Ok(())
            }
            Illegal => Err(Trap::new(Exception::IllegalInstruction, bits())),
            _ => Ok(()), // the ALU operations, handled by the caller
        };
        match result {
            Ok(()) if self.stalled => {
                // Waiting (for input, or in wfi past the run's limit): the
                // instruction has not executed and will run again.
                self.stalled = false;
            }
            Ok(()) => self.retire::<PLAIN>(next),
            Err(trap) => self.trap_after::<PLAIN>(trap, pc),
        }
    }

    /// A load of `width` bytes into rd.
    #[inline(always)]
    fn exec_load<const PLAIN: bool>(
        &mut self,
        inst: &crate::isa::Inst,
        bits: impl Fn() -> u32,
        pc: u32,
        a: u32,
        width: u32,
    ) -> Result<(), Trap> {
        let addr = mem_addr(inst, a);
        let raw = self.load_with::<PLAIN>(addr, width)?;
        if !PLAIN
            && self.watching
            && let Some(hit) = self.watch_hit(pc, bits(), addr, width, None, raw)
        {
            self.push_stop(StopReason::Watchpoint(hit));
        }
        self.hart.set_reg(inst.rd, load_extend(inst.op, raw));
        Ok(())
    }

    /// A store of the low `width` bytes of rs2.
    #[inline(always)]
    fn exec_store<const PLAIN: bool>(
        &mut self,
        inst: &crate::isa::Inst,
        bits: impl Fn() -> u32,
        pc: u32,
        a: u32,
        b: u32,
        width: u32,
    ) -> Result<(), Trap> {
        let addr = mem_addr(inst, a);
        let old = if !PLAIN && self.watching {
            self.watch_before_store(addr, width)
        } else {
            None
        };
        let tohost = self.store_with::<PLAIN>(addr, width, b)?;
        if old.is_some()
            && let Some(hit) = self.watch_hit(pc, bits(), addr, width, old, b)
        {
            self.push_stop(StopReason::Watchpoint(hit));
        }
        if tohost {
            self.htif_store(pc)
        }
        Ok(())
    }

    /// The end of an instruction that trapped (kept out of the hot loop).
    #[cold]
    #[inline(never)]
    fn trap_after<const PLAIN: bool>(&mut self, trap: Trap, pc: u32) {
        self.cycle += 1;
        if !PLAIN && self.memory.is_some() {
            self.cycle += self.take_stall();
        }
        self.take_exception(trap, pc);
    }

    #[cold]
    #[inline(never)]
    fn fetch_fault(&mut self, trap: Trap, pc: u32) {
        self.cycle += 1;
        if self.memory.is_some() {
            // The first parcel's cache access may have cost cycles.
            self.cycle += self.take_stall();
        }
        self.take_exception(trap, pc);
    }

    /// `wfi`: returns true when it completes. With nothing pending, time
    /// jumps to the timer's deadline (or the run's limit, leaving the `wfi`
    /// to run again).
    fn wfi(&mut self) -> bool {
        if self.mip() & self.hart.mie != 0 {
            return true;
        }
        self.events = true;
        if !self.wfi_can_wake() {
            return false;
        }
        // The timer is not pending, so deadline > cycle. The wfi's own cycle
        // is the last cycle of the sleep: it completes at the deadline (the
        // caller adds that cycle), so the interrupt is taken exactly when
        // mtime reaches mtimecmp, however the run is split into `run` calls.
        let deadline = self.timer_deadline();
        if deadline > self.run_limit {
            self.cycle = self.cycle.max(self.run_limit);
            return false;
        }
        self.cycle = deadline.saturating_sub(1).max(self.cycle);
        true
    }

    /// For a `wfi` with nothing pending: whether anything could wake it.
    /// The timer and the display's vsync wake it at their deadline
    /// (`timer_deadline`). Failing those, an external interrupt from
    /// host input: the UART's receive interrupt, while input may still
    /// come, makes the run wait for input (`NeedInput`, sets
    /// `waiting_for_input` and returns false); the keyboard's or GPIO's
    /// lets the `wfi` sleep to the run's limit (the host's next key
    /// comes at a journaled cycle). With none of these the machine halts
    /// with an explanation and this returns false.
    pub(crate) fn wfi_can_wake(&mut self) -> bool {
        let timer = self.hart.mie & MIP_MTIP != 0 && self.bus.clint.mtimecmp != u64::MAX;
        let (input, host) = self.external_wakers();
        if timer || self.bus.device_deadline(self.cycle) != u64::MAX && self.external_wake_on(12) {
            return true;
        }
        if input {
            self.waiting_for_input = true;
            return false;
        }
        if host {
            return true;
        }
        self.halt = Some(Halt::Error(format!(
            "wfi at pc {:#010x} would wait forever: no interrupt that could wake it is \
             enabled (mie = {:#x}, mtimecmp = {:#x}, PLIC enable = {:#x})",
            self.hart.pc, self.hart.mie, self.bus.clint.mtimecmp, self.bus.devices.plic.enable
        )));
        false
    }

    /// Whether PLIC source `s` could interrupt the hart (MEIE set, the
    /// source enabled above the threshold).
    fn external_wake_on(&self, s: u32) -> bool {
        let p = &self.bus.devices.plic;
        self.hart.mie & MIP_MEIP != 0
            && p.enable & (1 << s) != 0
            && p.priority[s as usize] > p.threshold
    }

    /// (UART receive could wake a `wfi` once input comes, the keyboard or
    /// GPIO could once the host acts).
    fn external_wakers(&self) -> (bool, bool) {
        use crate::platform::plic::{SOURCE_GPIO, SOURCE_KEYBOARD, SOURCE_UART};
        let d = &self.bus.devices;
        let input = self.bus.uart.rx_armed() && self.external_wake_on(SOURCE_UART);
        let host = d.keyboard.irq_enable && self.external_wake_on(SOURCE_KEYBOARD)
            || d.gpio.irq_enable && self.external_wake_on(SOURCE_GPIO);
        (input, host)
    }

    /// Skips idle cycles of a sleeping pipeline up to the cycle before the
    /// timer deadline (bounded by the run's limit); the current cycle then
    /// ends exactly at the deadline.
    pub(crate) fn wfi_fast_forward(&mut self) {
        // The caches sample their hit rates at fixed cycles: those are
        // not skipped.
        let sample = self.memory.as_ref().map_or(u64::MAX, |h| h.next_sample());
        let target = self
            .timer_deadline()
            .min(self.run_limit)
            .min(sample)
            .saturating_sub(1);
        self.cycle = self.cycle.max(target);
    }

    /// A data load on the timing path, as the CPU makes it.
    #[inline(always)]
    pub(crate) fn load_data(&mut self, addr: u32, width: u32) -> Result<u32, Trap> {
        self.load_with::<false>(addr, width)
    }

    /// `load_data`; `PLAIN`: the machine has no caches.
    #[inline(always)]
    fn load_with<const PLAIN: bool>(&mut self, addr: u32, width: u32) -> Result<u32, Trap> {
        if addr & (width - 1) != 0 {
            return self.load_misaligned(addr, width);
        }
        if !PLAIN && self.memory.is_some() {
            if self.bus.ram.offset(addr, width).is_some() {
                return Ok(self.cached_access(addr, width, AccessKind::Read, 0));
            }
        } else if let Some(v) = self.bus.ram.load(addr, width) {
            return Ok(v);
        }
        self.load_mmio(addr, width)
    }

    #[cold]
    fn load_mmio(&mut self, addr: u32, width: u32) -> Result<u32, Trap> {
        // Framebuffer bytes are plain memory: nothing there changes
        // interrupt or run state, so drawing does not leave the inner loop.
        if !self.in_framebuffer(addr) {
            self.events = true;
        }
        self.bus
            .load(addr, width, self.cycle)
            .map_err(|AccessFault| Trap::new(Exception::LoadAccessFault, addr))
    }

    #[cold]
    fn load_misaligned(&mut self, addr: u32, width: u32) -> Result<u32, Trap> {
        if self.config.misaligned == Misaligned::Trap {
            return Err(misaligned(true, addr));
        }
        let mut v = 0;
        for i in 0..width {
            let a = addr.wrapping_add(i);
            let byte = self.load_data(a, 1).map_err(|t| Trap::new(t.cause, addr))?;
            v |= byte << (8 * i);
        }
        Ok(v)
    }

    /// A data store on the timing path. Returns whether it touched
    /// `tohost` or the test finisher: the caller runs `htif_store` when the
    /// store completes
    /// (at once in the functional core, in WB in the pipeline).
    #[inline(always)]
    pub(crate) fn store_data(&mut self, addr: u32, width: u32, value: u32) -> Result<bool, Trap> {
        self.store_with::<false>(addr, width, value)
    }

    /// `store_data`; `PLAIN`: the machine has no caches.
    #[inline(always)]
    fn store_with<const PLAIN: bool>(
        &mut self,
        addr: u32,
        width: u32,
        value: u32,
    ) -> Result<bool, Trap> {
        self.last_store = Some((addr, width, value));
        self.clear_reservation_on_store(addr, width);
        if addr & (width - 1) != 0 {
            return self.store_misaligned(addr, width, value).map(|()| false);
        }
        let in_ram = if !PLAIN && self.memory.is_some() {
            let in_ram = self.bus.ram.offset(addr, width).is_some();
            if in_ram {
                self.cached_access(addr, width, AccessKind::Write, value);
            }
            in_ram
        } else {
            self.bus.ram.store_aligned(addr, width, value)
        };
        if in_ram {
            return Ok(self.touches_tohost(addr, width));
        }
        // A write to the test finisher also acts when the store completes.
        self.store_mmio(addr, width, value)
            .map(|()| self.bus.finisher.pending.is_some())
    }

    /// Whether a store of `width` bytes at `addr` touches `tohost` (or
    /// `fromhost`, the word after it).
    #[inline(always)]
    pub(crate) fn touches_tohost(&self, addr: u32, width: u32) -> bool {
        self.program
            .tohost
            .is_some_and(|t| addr.wrapping_sub(t) < 8 || t.wrapping_sub(addr) < width)
    }

    #[inline(always)]
    fn in_framebuffer(&self, addr: u32) -> bool {
        addr.wrapping_sub(crate::platform::FB_BASE) < self.bus.devices.display.fb_size()
    }

    #[cold]
    fn store_mmio(&mut self, addr: u32, width: u32, value: u32) -> Result<(), Trap> {
        if !self.in_framebuffer(addr) {
            self.events = true;
        }
        self.bus
            .store(addr, width, value, self.cycle)
            .map_err(|AccessFault| Trap::new(Exception::StoreAccessFault, addr))
    }

    #[cold]
    fn store_misaligned(&mut self, addr: u32, width: u32, value: u32) -> Result<(), Trap> {
        if self.config.misaligned == Misaligned::Trap {
            return Err(misaligned(false, addr));
        }
        // Check every byte first so a faulting access writes nothing.
        for i in 0..width {
            if self.bus.region(addr.wrapping_add(i), 1).is_none() {
                return Err(Trap::new(Exception::StoreAccessFault, addr));
            }
        }
        for i in 0..width {
            let a = addr.wrapping_add(i);
            if self.bus.ram.offset(a, 1).is_some() {
                if self.memory.is_some() {
                    self.cached_access(a, 1, AccessKind::Write, value >> (8 * i));
                } else {
                    self.bus.ram.write(a, 1, value >> (8 * i));
                }
            } else {
                self.store_mmio(a, 1, value >> (8 * i))?;
            }
        }
        Ok(())
    }
}
