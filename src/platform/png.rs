//! PNG encoding of display frames (`glassbox run --screenshot`), on the
//! `png` crate: 8-bit RGB, since the display has no alpha.

/// A PNG of `width` × `height` pixels given as `0x00RRGGBB`, row by row.
/// Missing pixels (a `pixels` shorter than the frame) are black, so a
/// caller's mistake gives a wrong picture, never a panic.
pub fn encode_xrgb(width: u32, height: u32, pixels: &[u32]) -> Vec<u8> {
    let n = width as usize * height as usize;
    let mut rgb = Vec::with_capacity(3 * n);
    for i in 0..n {
        let p = pixels.get(i).copied().unwrap_or(0);
        rgb.extend_from_slice(&[(p >> 16) as u8, (p >> 8) as u8, p as u8]);
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    // Encoding into memory fails only for a zero-sized image, which the
    // display's validated configuration never has.
    let written = enc
        .write_header()
        .and_then(|mut w| w.write_image_data(&rgb).and_then(|()| w.finish()));
    if written.is_err() {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut r = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    #[test]
    fn a_two_by_one_image_reads_back_as_its_pixels() {
        let (info, rgb) = decode(&encode_xrgb(2, 1, &[0x00ff_0000, 0x0000_80ff]));
        assert_eq!((info.width, info.height), (2, 1));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(rgb, [0xff, 0, 0, 0, 0x80, 0xff]);
    }

    #[test]
    fn missing_pixels_are_black() {
        let (_, rgb) = decode(&encode_xrgb(2, 1, &[0x0012_3456]));
        assert_eq!(rgb, [0x12, 0x34, 0x56, 0, 0, 0]);
    }
}
