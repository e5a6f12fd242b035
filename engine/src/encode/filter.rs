//! PNG row filters, chosen per row cheaply.
//!
//! The png crate's adaptive choice tries all five filters on every row; what our
//! compressor rewards is zeros (runs of them are nearly free), so each row takes
//! Up or Sub, whichever leaves more zero bytes. Flat areas and vertical edges
//! favour Up, horizontal gradients and rows of text beside empty space favour
//! Sub. Counting is a vectorised pass per filter, a fraction of the compression.

/// Appends the filtered row (its filter-type byte first). `prev` is the row above
/// (empty for the first row of the picture); `bpp` is bytes per pixel.
pub(crate) fn row(prev: &[u8], cur: &[u8], bpp: usize, out: &mut Vec<u8>) {
    if prev.is_empty() {
        out.push(1);
        push_sub(cur, bpp, out);
        return;
    }
    let head = bpp.min(cur.len());
    let up_zeros = equal_bytes(cur, prev);
    let sub_zeros = cur[..head].iter().filter(|&&c| c == 0).count()
        + equal_bytes(&cur[head..], &cur[..cur.len() - head]);
    if up_zeros >= sub_zeros {
        out.push(2);
        out.extend(cur.iter().zip(prev).map(|(c, p)| c.wrapping_sub(*p)));
    } else {
        out.push(1);
        push_sub(cur, bpp, out);
    }
}

fn push_sub(cur: &[u8], bpp: usize, out: &mut Vec<u8>) {
    let head = bpp.min(cur.len());
    out.extend_from_slice(&cur[..head]);
    out.extend(cur[head..].iter().zip(cur).map(|(c, a)| c.wrapping_sub(*a)));
}

/// How many positions hold the same byte in `a` and `b` (of equal length). Counted
/// in blocks of 64 with a byte-wide tally, which the compiler vectorises.
fn equal_bytes(a: &[u8], b: &[u8]) -> usize {
    let mut total = 0;
    let (mut ab, mut bb) = (a.chunks_exact(64), b.chunks_exact(64));
    for (x, y) in (&mut ab).zip(&mut bb) {
        let mut tally = 0u8;
        for i in 0..64 {
            tally += u8::from(x[i] == y[i]);
        }
        total += usize::from(tally);
    }
    total
        + ab.remainder()
            .iter()
            .zip(bb.remainder())
            .filter(|(x, y)| x == y)
            .count()
}
