//! The display controller and its framebuffer.
//!
//! The framebuffer is plain memory (`Arc<Vec<u8>>`, copied on the first
//! write after a snapshot shares it), so a host reads a whole frame for
//! the price of a memory copy and the machine sends nothing per cycle.
//! Frames are a fixed number of cycles long: the frame counter and the
//! vsync flag are functions of the cycle count, worked out when read,
//! never from host time.

use super::AccessFault;
use crate::config::DevicesConfig;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub const DISPLAY_BASE: u32 = 0x1100_0000;
pub const DISPLAY_SIZE: u32 = 0x1000;
pub const FB_BASE: u32 = 0x1200_0000;

pub const WIDTH: u32 = 0x00;
pub const HEIGHT: u32 = 0x04;
pub const FORMAT: u32 = 0x08;
pub const STRIDE: u32 = 0x0c;
pub const FRAME: u32 = 0x10;
pub const STATUS: u32 = 0x14;
pub const FB_BASE_REG: u32 = 0x18;
pub const FRAME_CYCLES: u32 = 0x1c;
pub const IRQ_ENABLE: u32 = 0x20;
/// One past the last register.
pub const REGS_END: u32 = 0x24;

pub const STATUS_VSYNC: u32 = 1;

/// How pixels are stored in the framebuffer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PixelFormat {
    /// 4 bytes per pixel, `0x00RRGGBB` little-endian (byte 0 blue).
    #[default]
    Xrgb8888 = 0,
    /// 2 bytes per pixel, red in bits 15..11, green 10..5, blue 4..0.
    Rgb565 = 1,
}

impl PixelFormat {
    pub fn bytes_per_pixel(self) -> u32 {
        match self {
            PixelFormat::Xrgb8888 => 4,
            PixelFormat::Rgb565 => 2,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Display {
    width: u32,
    height: u32,
    frame_cycles: u32,
    pub format: PixelFormat,
    /// The frame whose vsync the guest acknowledged last: VSYNC reads 1
    /// while the current frame is later.
    acked_frame: u64,
    pub irq_enable: bool,
    /// Serialized as one byte string: bincode writes it exactly as a
    /// `Vec<u8>` (length, bytes), but sizing it for a snapshot costs
    /// nothing instead of a visit per byte.
    #[serde(with = "frame_bytes")]
    fb: Arc<Vec<u8>>,
}

/// Serde for the framebuffer as a byte string.
mod frame_bytes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(fb: &Arc<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        serde_bytes::Bytes::new(fb).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Vec<u8>>, D::Error> {
        serde_bytes::ByteBuf::deserialize(d).map(|b| Arc::new(b.into_vec()))
    }
}

impl Display {
    pub fn new(cfg: &DevicesConfig) -> Display {
        Display {
            width: cfg.display_width,
            height: cfg.display_height,
            frame_cycles: cfg.frame_cycles.max(1),
            format: PixelFormat::Xrgb8888,
            acked_frame: 0,
            irq_enable: false,
            fb: Arc::new(vec![
                0;
                (cfg.display_width * cfg.display_height * 4) as usize
            ]),
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn frame_cycles(&self) -> u32 {
        self.frame_cycles
    }

    /// Bytes per row in the current format.
    pub fn stride(&self) -> u32 {
        self.width * self.format.bytes_per_pixel()
    }

    /// Size of the framebuffer region (the XRGB8888 size, whatever the
    /// format).
    pub fn fb_size(&self) -> u32 {
        self.fb.len() as u32
    }

    /// The frame number at cycle `now` (frame 0 starts at cycle 0).
    pub fn frame(&self, now: u64) -> u64 {
        now / self.frame_cycles as u64
    }

    /// Whether STATUS.VSYNC reads 1 at cycle `now`.
    pub fn vsync(&self, now: u64) -> bool {
        self.frame(now) > self.acked_frame
    }

    /// The interrupt line (PLIC source 12).
    pub fn irq_level(&self, now: u64) -> bool {
        self.irq_enable && self.vsync(now)
    }

    /// The first cycle at or after `now` at which the vsync line is high;
    /// `u64::MAX` while the interrupt is disabled.
    pub fn irq_deadline(&self, now: u64) -> u64 {
        if !self.irq_enable {
            u64::MAX
        } else if self.vsync(now) {
            now
        } else {
            (self.acked_frame + 1).saturating_mul(self.frame_cycles as u64)
        }
    }

    /// Whether `other` holds the very same framebuffer memory (a
    /// snapshot taken while the guest did not draw shares it).
    pub fn shares_frame_with(&self, other: &Display) -> bool {
        Arc::ptr_eq(&self.fb, &other.fb)
    }

    /// The framebuffer's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.fb
    }

    pub fn read(&self, offset: u32, now: u64) -> Result<u32, AccessFault> {
        Ok(match offset {
            WIDTH => self.width,
            HEIGHT => self.height,
            FORMAT => self.format as u32,
            STRIDE => self.stride(),
            FRAME => self.frame(now) as u32,
            STATUS => self.vsync(now) as u32,
            FB_BASE_REG => FB_BASE,
            FRAME_CYCLES => self.frame_cycles,
            IRQ_ENABLE => self.irq_enable as u32,
            _ => return Err(AccessFault),
        })
    }

    /// A register write; debugger pokes (`live` false) set FORMAT and
    /// IRQ_ENABLE but acknowledge nothing.
    pub fn write(
        &mut self,
        offset: u32,
        value: u32,
        now: u64,
        live: bool,
    ) -> Result<(), AccessFault> {
        match offset {
            FORMAT => match value {
                0 => self.format = PixelFormat::Xrgb8888,
                1 => self.format = PixelFormat::Rgb565,
                _ => {}
            },
            STATUS if live && value & STATUS_VSYNC != 0 => self.acked_frame = self.frame(now),
            IRQ_ENABLE => self.irq_enable = value & 1 != 0,
            WIDTH | HEIGHT | STRIDE | FRAME | STATUS | FB_BASE_REG | FRAME_CYCLES => {}
            _ => return Err(AccessFault),
        }
        Ok(())
    }

    /// Reads `width` bytes of the framebuffer at `offset` (the bus has
    /// checked they lie inside it).
    pub fn fb_read(&self, offset: u32, width: u32) -> u32 {
        let o = offset as usize;
        let mut w = [0u8; 4];
        w[..width as usize].copy_from_slice(&self.fb[o..o + width as usize]);
        u32::from_le_bytes(w)
    }

    pub fn fb_write(&mut self, offset: u32, width: u32, value: u32) {
        let o = offset as usize;
        let fb = Arc::make_mut(&mut self.fb);
        fb[o..o + width as usize].copy_from_slice(&value.to_le_bytes()[..width as usize]);
    }

    /// A read-only view for hosts (GUI, screenshots, tests).
    pub fn view(&self) -> DisplayView<'_> {
        DisplayView { d: self }
    }
}

/// What a host sees of the display; reading it changes nothing.
#[derive(Clone, Copy, Debug)]
pub struct DisplayView<'a> {
    d: &'a Display,
}

impl DisplayView<'_> {
    pub fn width(&self) -> u32 {
        self.d.width
    }

    pub fn height(&self) -> u32 {
        self.d.height
    }

    pub fn format(&self) -> PixelFormat {
        self.d.format
    }

    /// The frame counter at cycle `now`.
    pub fn frame(&self, now: u64) -> u64 {
        self.d.frame(now)
    }

    /// The raw framebuffer bytes, in `format()`.
    pub fn raw(&self) -> &[u8] {
        self.d.bytes()
    }

    /// The pixel at (x, y) as `0x00RRGGBB`; 0 outside the display.
    pub fn pixel(&self, x: u32, y: u32) -> u32 {
        if x >= self.d.width || y >= self.d.height {
            return 0;
        }
        let bpp = self.d.format.bytes_per_pixel();
        let o = ((y * self.d.width + x) * bpp) as usize;
        let fb = self.d.bytes();
        match self.d.format {
            PixelFormat::Xrgb8888 => u32::from_le_bytes([fb[o], fb[o + 1], fb[o + 2], 0]),
            PixelFormat::Rgb565 => rgb565_to_xrgb(u16::from_le_bytes([fb[o], fb[o + 1]])),
        }
    }

    /// Fills `out` (resized to width × height) with the pixels as
    /// `0x00RRGGBB`, row by row.
    pub fn read_xrgb8888(&self, out: &mut Vec<u32>) {
        let (w, h) = (self.d.width as usize, self.d.height as usize);
        out.clear();
        out.reserve(w * h);
        let fb = self.d.bytes();
        match self.d.format {
            PixelFormat::Xrgb8888 => out.extend(
                fb[..w * h * 4]
                    .chunks_exact(4)
                    .map(|p| u32::from_le_bytes([p[0], p[1], p[2], 0])),
            ),
            PixelFormat::Rgb565 => out.extend(
                fb[..w * h * 2]
                    .chunks_exact(2)
                    .map(|p| rgb565_to_xrgb(u16::from_le_bytes([p[0], p[1]]))),
            ),
        }
    }

    /// The pixels as `0x00RRGGBB`, row by row.
    pub fn xrgb8888(&self) -> Vec<u32> {
        let mut v = Vec::new();
        self.read_xrgb8888(&mut v);
        v
    }

    /// The frame as a PNG file's bytes (8-bit RGB).
    pub fn png(&self) -> Vec<u8> {
        let mut px = Vec::new();
        self.read_xrgb8888(&mut px);
        super::png::encode_xrgb(self.d.width, self.d.height, &px)
    }

    /// The pixels as RGBA bytes (alpha 255), row by row: what PNG
    /// writers and GUI textures take.
    pub fn rgba8(&self) -> Vec<u8> {
        let mut px = Vec::new();
        self.read_xrgb8888(&mut px);
        px.iter()
            .flat_map(|p| [(p >> 16) as u8, (p >> 8) as u8, *p as u8, 255])
            .collect()
    }
}

/// Widens a 5-6-5 pixel to 8 bits per channel, repeating the top bits so
/// white stays white.
pub fn rgb565_to_xrgb(p: u16) -> u32 {
    let (r, g, b) = ((p >> 11) as u32 & 31, (p >> 5) as u32 & 63, p as u32 & 31);
    let (r, g, b) = (
        (r << 3) | (r >> 2),
        (g << 2) | (g >> 4),
        (b << 3) | (b >> 2),
    );
    (r << 16) | (g << 8) | b
}
