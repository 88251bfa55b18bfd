//! PNG encoding of display frames (`glassbox run --screenshot`): 8-bit
//! RGB, no filtering, one zlib stream. `flate2` compresses and computes
//! the chunk CRCs; this module only lays out the chunks.

use flate2::Crc;
use flate2::write::ZlibEncoder;
use std::io::Write;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
/// IHDR colour type 2: truecolour without alpha.
const COLOUR_RGB: u8 = 2;

/// A PNG of `width` × `height` pixels given as `0x00RRGGBB`, row by row.
/// Panics if `pixels` is shorter than `width * height` (callers pass a
/// whole frame from `DisplayView::read_xrgb8888`).
pub fn encode_xrgb(width: u32, height: u32, pixels: &[u32]) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut raw = Vec::with_capacity(h * (1 + 3 * w));
    for row in pixels[..w * h].chunks_exact(w.max(1)).take(h) {
        raw.push(0); // filter type None
        for p in row {
            raw.extend_from_slice(&[(p >> 16) as u8, (p >> 8) as u8, *p as u8]);
        }
    }
    let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    z.write_all(&raw).expect("zlib into memory");
    let idat = z.finish().expect("zlib into memory");

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type, compression 0, filter 0, no interlace.
    ihdr.extend_from_slice(&[8, COLOUR_RGB, 0, 0, 0]);

    let mut out = SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Appends one chunk: length, type, data, CRC of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_of_a_two_by_one_image() {
        let png = encode_xrgb(2, 1, &[0x00ff_0000, 0x0000_80ff]);
        assert_eq!(png[..8], SIGNATURE);
        // IHDR: length 13, type, 2 × 1, depth 8, RGB.
        assert_eq!(png[8..12], [0, 0, 0, 13]);
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(png[16..29], [0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        // The CRC of "IHDR" + data, as any PNG reader checks it.
        let mut crc = Crc::new();
        crc.update(&png[12..29]);
        assert_eq!(png[29..33], crc.sum().to_be_bytes());
        // IDAT inflates to the filter byte and the two pixels.
        let len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        assert_eq!(&png[37..41], b"IDAT");
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&png[41..41 + len]),
            &mut raw,
        )
        .unwrap();
        assert_eq!(raw, [0, 0xff, 0, 0, 0, 0x80, 0xff]);
        // IEND closes it: empty, with the CRC of its type.
        assert_eq!(
            png[png.len() - 12..],
            [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]
        );
    }
}
