//! PNG row filters, chosen per row cheaply, fed straight to the compressor.
//!
//! What our compressor rewards is zeros (runs of them are nearly free), so each row
//! takes Up or Sub, whichever leaves more zero bytes. Flat areas and vertical edges
//! favour Up, horizontal gradients and rows of text beside empty space favour Sub.
//!
//! Most rows of a screenshot are nearly the row above (background, the inside of a
//! bubble, the same bubble edge again): the row is compared with it in blocks of
//! pixels first, and when few blocks differ it takes Up without more counting; the
//! blocks that match are handed to the compressor as runs of zeros, never
//! converted, filtered or scanned. Only the blocks that differ, and rows that
//! differ in many places, are converted to PNG's bytes and filtered byte by byte.

use tiny_skia::PremultipliedColorU8;

use super::deflate::Compressor;

/// The Up filter's type byte.
const UP: u8 = 2;
/// The Sub filter's type byte.
const SUB: u8 = 1;
/// Pixels compared with the row above at a time.
const BLOCK: usize = 16;
/// A row whose differing blocks hold at most this share of its pixels takes Up
/// without counting Sub's zeros: Up leaves at least the rest as zeros, which Sub
/// could beat by little.
const FEW_CHANGES: usize = 8;

/// A row of pixels with what filtering it needs to keep between rows.
#[derive(Default)]
pub(crate) struct Filter {
    /// PNG's bytes of the last row converted whole, and which row that was (its
    /// address: rows are slices of one picture).
    above: Vec<u8>,
    above_row: Option<usize>,
    cur: Vec<u8>,
    part: Vec<u8>,
    out: Vec<u8>,
    changed: Vec<(usize, usize)>,
}

impl Filter {
    /// Filters `row` (its pixels; `above` is the row over it, `None` for the
    /// picture's first row) and hands the filtered bytes, type byte first, to
    /// `out`. `opaque` rows are written as RGB, others as straight RGBA.
    pub(crate) fn row(
        &mut self,
        above: Option<&[PremultipliedColorU8]>,
        row: &[PremultipliedColorU8],
        opaque: bool,
        out: &mut Compressor,
    ) {
        let bpp = if opaque { 3 } else { 4 };
        let Some(above) = above else {
            to_bytes(row, opaque, &mut self.cur);
            self.out.clear();
            self.out.push(SUB);
            push_sub(&self.cur, bpp, &mut self.out);
            out.push(&self.out);
            self.keep_as_above(row);
            return;
        };
        let changed = differing_blocks(row, above, &mut self.changed);
        if changed * FEW_CHANGES <= row.len() {
            out.push(&[UP]);
            let mut at = 0;
            for &(start, end) in &self.changed {
                out.push_zeros((start - at) * bpp);
                to_bytes(&row[start..end], opaque, &mut self.cur);
                to_bytes(&above[start..end], opaque, &mut self.part);
                self.out.clear();
                self.out.extend(
                    self.cur
                        .iter()
                        .zip(&self.part)
                        .map(|(c, p)| c.wrapping_sub(*p)),
                );
                out.push(&self.out);
                at = end;
            }
            out.push_zeros((row.len() - at) * bpp);
            return;
        }
        if self.above_row != Some(above.as_ptr() as usize) {
            to_bytes(above, opaque, &mut self.above);
        }
        to_bytes(row, opaque, &mut self.cur);
        self.out.clear();
        choose(&self.above, &self.cur, bpp, &mut self.out);
        out.push(&self.out);
        std::mem::swap(&mut self.above, &mut self.cur);
        self.above_row = Some(row.as_ptr() as usize);
    }

    fn keep_as_above(&mut self, row: &[PremultipliedColorU8]) {
        std::mem::swap(&mut self.above, &mut self.cur);
        self.above_row = Some(row.as_ptr() as usize);
    }
}

/// Appends the row filtered by Up or Sub, whichever leaves more zeros (its
/// filter-type byte first).
fn choose(prev: &[u8], cur: &[u8], bpp: usize, out: &mut Vec<u8>) {
    let head = bpp.min(cur.len());
    let up_zeros = equal_bytes(cur, prev);
    let sub_zeros = cur[..head].iter().filter(|&&c| c == 0).count()
        + equal_bytes(&cur[head..], &cur[..cur.len() - head]);
    if up_zeros >= sub_zeros {
        out.push(UP);
        out.extend(cur.iter().zip(prev).map(|(c, p)| c.wrapping_sub(*p)));
    } else {
        out.push(SUB);
        push_sub(cur, bpp, out);
    }
}

fn push_sub(cur: &[u8], bpp: usize, out: &mut Vec<u8>) {
    let head = bpp.min(cur.len());
    out.extend_from_slice(&cur[..head]);
    out.extend(cur[head..].iter().zip(cur).map(|(c, a)| c.wrapping_sub(*a)));
}

/// Puts into `blocks` the runs of blocks of [`BLOCK`] pixels (pixel ranges) where
/// `row` differs from `above`, and returns how many pixels they hold. The row is
/// compared whole first (a screenshot repeats many rows), then block by block as
/// words inline (a `memcmp` call per block cost a tenth of the encode).
fn differing_blocks(
    row: &[PremultipliedColorU8],
    above: &[PremultipliedColorU8],
    blocks: &mut Vec<(usize, usize)>,
) -> usize {
    blocks.clear();
    let (r, a) = (
        bytemuck::cast_slice::<_, u8>(row),
        bytemuck::cast_slice::<_, u8>(above),
    );
    if r == a {
        return 0;
    }
    let mut changed = 0;
    let mut mark = |start: usize, len: usize| {
        match blocks.last_mut() {
            Some(last) if last.1 == start => last.1 = start + len,
            _ => blocks.push((start, start + len)),
        }
        changed += len;
    };
    const BYTES: usize = BLOCK * 4;
    let (mut rs, mut as_) = (r.chunks_exact(BYTES), a.chunks_exact(BYTES));
    for (i, (x, y)) in (&mut rs).zip(&mut as_).enumerate() {
        let x: &[u8; BYTES] = x.try_into().expect("a whole block");
        let y: &[u8; BYTES] = y.try_into().expect("a whole block");
        if !same_block(x, y) {
            mark(i * BLOCK, BLOCK);
        }
    }
    if rs.remainder() != as_.remainder() {
        mark(r.len() / BYTES * BLOCK, rs.remainder().len() / 4);
    }
    changed
}

/// Whether two blocks hold the same bytes: eight words compared in straight-line
/// code (an array's `==` still called `memcmp`).
#[inline(always)]
fn same_block(x: &[u8; BLOCK * 4], y: &[u8; BLOCK * 4]) -> bool {
    let word = |b: &[u8; BLOCK * 4], k: usize| {
        u64::from_ne_bytes(b[k * 8..k * 8 + 8].try_into().expect("eight bytes"))
    };
    (0..BLOCK / 2).fold(0, |diff, k| diff | (word(x, k) ^ word(y, k))) == 0
}

/// Replaces `line` with pixels' bytes as PNG stores them: RGB, or straight (not
/// premultiplied) RGBA.
/// Written into a sized buffer with fixed-size copies, which the compiler turns
/// into vector code (a push per pixel made the encode 40% slower).
fn to_bytes(row: &[PremultipliedColorU8], opaque: bool, line: &mut Vec<u8>) {
    if opaque {
        line.resize(row.len() * 3, 0);
        for (rgb, p) in line.chunks_exact_mut(3).zip(row) {
            rgb.copy_from_slice(&[p.red(), p.green(), p.blue()]);
        }
    } else {
        line.clear();
        line.extend(row.iter().flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }));
    }
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
