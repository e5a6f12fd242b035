//! A zlib stream made of independently compressed stripes.
//!
//! PNG allows one zlib stream for the whole picture, which serialises the encode on
//! one core. Deflate's blocks need not share anything, though: a stripe compressed
//! on its own, ended with an empty stored block (a "sync flush") so that it stops
//! on a byte boundary, can be laid next to the following stripe's bytes, and the
//! joined stream is one valid deflate stream (the technique behind pigz). The
//! Adler-32 trailer is combined from the stripes' own checksums.
//!
//! Each stripe is one dynamic-Huffman block coded from the stripe's own symbol
//! counts. The only matches are runs of zero bytes at distance one, which is
//! where filtered screenshot rows spend their bytes (flat areas become zeros);
//! this is the approach of the `fdeflate` crate that the png crate uses in its fast
//! mode, which offers no way to end a stream on a byte boundary without
//! finishing it. A stripe's bytes depend only on its own rows, so the joined
//! stream is the same whatever the number of threads that compressed it.

/// Largest Adler-32 modulus (the biggest prime below 2^16).
const ADLER_BASE: u32 = 65_521;
/// Literal/length alphabet: 256 literals, end of block, 29 length codes.
const LITLEN: usize = 286;
const END_OF_BLOCK: usize = 256;
/// Deflate's longest code.
const MAX_BITS: u8 = 15;
/// Order in which the code-length code lengths are sent (RFC 1951, 3.2.7).
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
/// Base length and extra bits of the length codes 257..=285.
const LENGTH_CODES: [(u16, u8); 29] = [
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 1),
    (13, 1),
    (15, 1),
    (17, 1),
    (19, 2),
    (23, 2),
    (27, 2),
    (31, 2),
    (35, 3),
    (43, 3),
    (51, 3),
    (59, 3),
    (67, 4),
    (83, 4),
    (99, 4),
    (115, 4),
    (131, 5),
    (163, 5),
    (195, 5),
    (227, 5),
    (258, 0),
];

/// One stripe's compressed bytes with what the join needs to know about its input.
#[derive(Debug)]
pub(crate) struct Stripe {
    pub bytes: Vec<u8>,
    pub adler: u32,
    pub len: usize,
}

/// Compresses `data` (filtered scanlines) into one deflate block. A stripe that is
/// not `last` ends with a sync flush, so the next stripe's bytes can follow it.
#[cfg(test)]
pub(crate) fn compress(data: &[u8], last: bool) -> Stripe {
    let mut c = Compressor::new();
    c.push(data);
    c.finish(last)
}

/// One stripe's compression, fed in pieces: the bytes are turned into tokens and
/// counted as they come, and the block is written from the counts at the end. A
/// run of zeros carries over from one piece to the next, so the tokens do not
/// depend on how the bytes were cut; runs handed over by length
/// ([`push_zeros`](Self::push_zeros)) are never looked at, which is how the flat
/// parts of a screenshot cost almost nothing.
pub(crate) struct Compressor {
    tokens: Vec<u16>,
    counts: [u32; TOKENS],
    adler: u32,
    len: usize,
    /// Zeros seen and not yet turned into tokens.
    zeros: usize,
}

impl Compressor {
    pub(crate) fn new() -> Self {
        Compressor {
            tokens: Vec::new(),
            counts: [0; TOKENS],
            adler: 1,
            len: 0,
            zeros: 0,
        }
    }

    /// Appends bytes.
    pub(crate) fn push(&mut self, data: &[u8]) {
        self.adler = if data.len() <= SMALL_PIECE {
            adler_small(self.adler, data)
        } else {
            adler_combine(self.adler, simd_adler32::adler32(&data), data.len())
        };
        self.len += data.len();
        self.tokens.reserve(data.len());
        let mut rest = data;
        while let Some(&first) = rest.first() {
            if first == 0 {
                let run = zero_run(rest);
                self.zeros += run;
                rest = &rest[run..];
                continue;
            }
            self.end_zeros();
            let (literals, after) = rest.split_at(literal_run(rest));
            self.tokens.extend(literals.iter().map(|&b| u16::from(b)));
            for &b in literals {
                self.counts[b as usize] += 1;
            }
            rest = after;
        }
    }

    /// Appends `n` zeros.
    pub(crate) fn push_zeros(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        // The Adler-32 of `n` zeros: the sum stays 1, and is added up `n` times.
        let zeros = (((n % ADLER_BASE as usize) as u32) << 16) | 1;
        self.adler = adler_combine(self.adler, zeros, n);
        self.len += n;
        self.zeros += n;
    }

    /// Turns the pending run of zeros, if any, into tokens. Inlined: it is asked
    /// before every literal.
    #[inline(always)]
    fn end_zeros(&mut self) {
        if self.zeros != 0 {
            self.zeros_to_tokens();
        }
    }

    /// Turns the pending run of zeros into tokens: a literal zero, then matches
    /// repeating it (shorter runs stay literals).
    #[inline(never)]
    fn zeros_to_tokens(&mut self) {
        self.tokens.push(0);
        self.counts[0] += 1;
        let mut rest = self.zeros - 1;
        self.zeros = 0;
        while rest >= 3 {
            let mut m = rest.min(258);
            if (1..3).contains(&(rest - m)) {
                m = rest - 3; // leave a run a match can still take
            }
            self.tokens.push((MATCH + m) as u16);
            self.counts[MATCH + m] += 1;
            rest -= m;
        }
        self.tokens.extend(std::iter::repeat_n(0, rest));
        self.counts[0] += rest as u32;
    }

    /// The stripe's block: codes built from the counts, then every token written.
    pub(crate) fn finish(mut self, last: bool) -> Stripe {
        self.end_zeros();
        let Compressor {
            tokens,
            counts,
            adler,
            len: data_len,
            ..
        } = self;
        let mut symbols = [0u32; LITLEN];
        for (t, &n) in counts.iter().enumerate() {
            symbols[token_symbol(t)] += n;
        }
        symbols[END_OF_BLOCK] = 1;
        let lengths = code_lengths(&symbols);
        let codes = canonical_codes(&lengths);
        // Every token's whole bit pattern: a literal's code, or a length's code with
        // its extra bits and the one-bit code of distance one.
        let mut table = [(0u32, 0u8); TOKENS];
        for (t, entry) in table.iter_mut().enumerate() {
            let sym = token_symbol(t);
            let (code, len) = codes[sym];
            *entry = if t < 256 {
                (u32::from(code), len)
            } else if t >= MATCH + 3 {
                let (base, extra) = LENGTH_CODES[sym - 257];
                let n = (t - MATCH) as u32;
                (
                    u32::from(code) | ((n - u32::from(base)) << len),
                    len + extra + 1,
                )
            } else {
                (0, 0) // lengths 0..=2 never occur
            };
        }
        // The block's exact length in bits, so the writer never has to grow.
        let header = 3 + 5 + 5 + 4 + 19 * 3 + (LITLEN + 2) * 4;
        let body: usize = counts
            .iter()
            .zip(&table)
            .map(|(&n, &(_, len))| n as usize * usize::from(len))
            .sum();
        let end = usize::from(codes[END_OF_BLOCK].1) + if last { 0 } else { 3 + 7 + 32 };
        let mut out = BitWriter::for_bits(header + body + end);
        out.bits(u64::from(last), 1);
        out.bits(0b10, 2); // dynamic Huffman codes
        out.bits((LITLEN - 257) as u64, 5);
        out.bits(1, 5); // two distance codes
        out.bits(19 - 4, 4); // all nineteen code-length code lengths follow
        // Code lengths are sent with a flat 4-bit code for the lengths 0..=15 (the
        // run-length symbols 16..=18 unused): simple, and ~150 bytes per stripe.
        for &sym in &CODE_LENGTH_ORDER {
            out.bits(if sym < 16 { 4 } else { 0 }, 3);
        }
        let flat = |len: u8| u64::from(reverse(u16::from(len), 4));
        for &len in lengths.iter().chain(&[1u8, 1]) {
            out.bits(flat(len), 4);
        }
        for &t in &tokens {
            let (bits, len) = table[t as usize];
            out.bits(u64::from(bits), len);
        }
        let (code, len) = codes[END_OF_BLOCK];
        out.bits(u64::from(code), len);
        if !last {
            out.bits(0, 3); // an empty stored block, not final…
            out.align();
            out.bytes(&[0, 0, 0xff, 0xff]); // …of length 0
        }
        Stripe {
            bytes: out.finish(),
            adler,
            len: data_len,
        }
    }
}

/// Hands on the zlib stream of `stripes` (the last one compressed with `last`) in
/// pieces: the header, each stripe's bytes, the checksum. Each stripe is dropped as
/// soon as it has been handed on, so the stream is never held twice.
pub(crate) fn zlib_pieces<E>(
    stripes: Vec<Stripe>,
    mut piece: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    piece(&[0x78, 0x01])?; // 32 KiB window, fastest level
    let mut adler = 1;
    for stripe in stripes {
        adler = adler_combine(adler, stripe.adler, stripe.len);
        piece(&stripe.bytes)?;
    }
    piece(&adler.to_be_bytes())
}

/// The whole zlib stream of `stripes`, in one buffer.
#[cfg(test)]
pub(crate) fn zlib(stripes: Vec<Stripe>) -> Vec<u8> {
    let mut out = Vec::new();
    let joined: Result<(), std::convert::Infallible> = zlib_pieces(stripes, |p| {
        out.extend_from_slice(p);
        Ok(())
    });
    joined.expect("infallible");
    out
}

/// Pieces up to this long are summed into the Adler-32 byte by byte: the
/// vectorised sum and the combining cost more for the few bytes of a filter type
/// or a changed block.
const SMALL_PIECE: usize = 32;

/// The Adler-32 `adler` continued over `data` (at most [`SMALL_PIECE`] bytes, so
/// neither sum can overflow before the one reduction at the end).
fn adler_small(adler: u32, data: &[u8]) -> u32 {
    debug_assert!(data.len() <= SMALL_PIECE);
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    for &byte in data {
        a += u32::from(byte);
        b += a;
    }
    (a % ADLER_BASE) | ((b % ADLER_BASE) << 16)
}

/// The Adler-32 of two inputs laid end to end, from their own checksums (zlib's
/// `adler32_combine`).
fn adler_combine(first: u32, second: u32, second_len: usize) -> u32 {
    let rem = (second_len % ADLER_BASE as usize) as u32;
    let a1 = first & 0xffff;
    let mut sum2 = (rem * a1) % ADLER_BASE;
    let mut sum1 = a1 + (second & 0xffff) + ADLER_BASE - 1;
    sum2 += (first >> 16) + (second >> 16) + ADLER_BASE - rem;
    for _ in 0..2 {
        if sum1 >= ADLER_BASE {
            sum1 -= ADLER_BASE;
        }
    }
    if sum2 >= ADLER_BASE << 1 {
        sum2 -= ADLER_BASE << 1;
    }
    if sum2 >= ADLER_BASE {
        sum2 -= ADLER_BASE;
    }
    sum1 | (sum2 << 16)
}

/// Tokens are literals (0..=255) and runs of zeros repeating the zero before them,
/// `MATCH + n` for a match of `n` (3..=258) at distance one.
const MATCH: usize = 256;
const TOKENS: usize = MATCH + 259;

/// The deflate symbol a token is coded with.
fn token_symbol(t: usize) -> usize {
    if t < MATCH {
        t
    } else if t >= MATCH + 3 {
        let n = (t - MATCH) as u16;
        257 + LENGTH_CODES.partition_point(|&(base, _)| base <= n) - 1
    } else {
        END_OF_BLOCK // unused slots
    }
}

/// Length of the run of zeros at the start of `data`.
#[inline(always)]
fn zero_run(data: &[u8]) -> usize {
    let mut n = 0;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        if word != 0 {
            return n + (word.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + words.remainder().iter().take_while(|&&b| b == 0).count()
}

/// Length of the run of non-zero bytes at the start of `data`: words are tested
/// for a zero byte eight bytes at a time (the lowest flagged byte is exact).
#[inline(always)]
fn literal_run(data: &[u8]) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        let zero = word.wrapping_sub(LOW) & !word & HIGH;
        if zero != 0 {
            return n + (zero.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + words.remainder().iter().take_while(|&&b| b != 0).count()
}

/// Huffman code lengths (at most 15 bits) for the symbol counts. Symbols never used
/// get no code. When the tree would be too deep the counts are flattened (halved,
/// keeping every used symbol) and the tree built again, as zlib-era encoders did;
/// a complete code results either way, as every decoder requires.
fn code_lengths(counts: &[u32; LITLEN]) -> [u8; LITLEN] {
    let mut weights: Vec<(u32, usize)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c > 0)
        .map(|(s, &c)| (c, s))
        .collect();
    // Two used symbols at least (end of block is always used), so a tree exists.
    if weights.len() < 2 {
        weights.push((1, 0)); // only the end of block is used: symbol 0 is free
    }
    loop {
        let lengths = huffman(&weights);
        if lengths.iter().all(|&(len, _)| len <= MAX_BITS) {
            let mut out = [0u8; LITLEN];
            for (len, sym) in lengths {
                out[sym] = len;
            }
            return out;
        }
        for w in &mut weights {
            w.0 = w.0.div_ceil(2);
        }
    }
}

/// Depth of every leaf of a Huffman tree over `weights` (two-queue construction).
fn huffman(weights: &[(u32, usize)]) -> Vec<(u8, usize)> {
    let mut leaves: Vec<(u64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, &(w, _))| (u64::from(w), i))
        .collect();
    leaves.sort_unstable();
    let n = leaves.len();
    // Nodes 0..n are leaves (in sorted order), n.. are internal; parent links.
    let mut parent = vec![usize::MAX; 2 * n - 1];
    let mut internal: Vec<u64> = Vec::with_capacity(n - 1);
    let (mut leaf, mut inner) = (0, 0);
    for k in 0..n - 1 {
        // Merge the two lightest of the next leaf and the next internal node.
        let mut weight = 0;
        for _ in 0..2 {
            let node = if leaf < n && internal.get(inner).is_none_or(|&w| leaves[leaf].0 <= w) {
                weight += leaves[leaf].0;
                leaf += 1;
                leaf - 1
            } else {
                weight += internal[inner];
                inner += 1;
                n + inner - 1
            };
            parent[node] = n + k;
        }
        internal.push(weight);
    }
    // Depths from the root down (parents always have higher indices).
    let mut depth = vec![0u8; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]].saturating_add(1);
    }
    (0..n)
        .map(|leaf| (depth[leaf], weights[leaves[leaf].1].1))
        .collect()
}

/// Canonical codes (RFC 1951, 3.2.2), bit-reversed for a least-significant-bit
/// first writer, with their lengths.
fn canonical_codes(lengths: &[u8; LITLEN]) -> [(u16, u8); LITLEN] {
    let mut count = [0u16; MAX_BITS as usize + 1];
    for &len in lengths {
        count[len as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; MAX_BITS as usize + 1];
    let mut code = 0u16;
    for bits in 1..=MAX_BITS as usize {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    let mut out = [(0u16, 0u8); LITLEN];
    for (sym, &len) in lengths.iter().enumerate() {
        if len > 0 {
            out[sym] = (reverse(next[len as usize], len), len);
            next[len as usize] += 1;
        }
    }
    out
}

fn reverse(code: u16, len: u8) -> u16 {
    code.reverse_bits() >> (16 - u32::from(len))
}

/// Least-significant-bit-first bit output into a buffer sized for the block up
/// front: every call stores the whole accumulator and moves on by the bytes it
/// filled, with no branch on whether a word is full.
struct BitWriter {
    out: Vec<u8>,
    pos: usize,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// A writer for at most `bits` bits (and the word stored past the last byte).
    fn for_bits(bits: usize) -> Self {
        BitWriter {
            out: vec![0; bits.div_ceil(8) + 8],
            pos: 0,
            acc: 0,
            n: 0,
        }
    }

    /// Appends the low `len` (≤ 32) bits of `bits`.
    #[inline(always)]
    fn bits(&mut self, bits: u64, len: u8) {
        self.acc |= bits << self.n;
        self.n += u32::from(len);
        self.out[self.pos..self.pos + 8].copy_from_slice(&self.acc.to_le_bytes());
        let whole = self.n / 8;
        self.pos += whole as usize;
        self.acc >>= whole * 8;
        self.n %= 8;
    }

    /// Pads with zero bits to the next byte boundary.
    fn align(&mut self) {
        self.bits(0, ((8 - self.n) % 8) as u8);
    }

    /// Appends whole bytes (the writer must be aligned).
    fn bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.n, 0);
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }

    fn finish(mut self) -> Vec<u8> {
        self.align();
        self.out.truncate(self.pos);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(zlib: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(zlib)
            .read_to_end(&mut out)
            .expect("a valid zlib stream");
        out
    }

    fn roundtrip(data: &[u8], stripe: usize) {
        let chunks: Vec<&[u8]> = data.chunks(stripe.max(1)).collect();
        let stripes: Vec<Stripe> = chunks
            .iter()
            .enumerate()
            .map(|(i, c)| compress(c, i + 1 == chunks.len()))
            .collect();
        let stream = if stripes.is_empty() {
            zlib(vec![compress(&[], true)])
        } else {
            zlib(stripes)
        };
        assert_eq!(inflate(&stream), data);
    }

    #[test]
    fn joined_stripes_inflate_to_the_input() {
        let mut data = vec![0u8; 5000];
        for (i, b) in data.iter_mut().enumerate() {
            if i % 97 < 30 {
                *b = (i * 7 % 251) as u8;
            }
        }
        for stripe in [1, 2, 3, 7, 100, 259, 260, 261, 1000, 5000] {
            roundtrip(&data, stripe);
        }
        roundtrip(&[], 10);
        roundtrip(&[0; 1], 1);
        roundtrip(&[0; 100_000], 4096);
        roundtrip(&[9; 3], 3);
        let noise: Vec<u8> = (0..70_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        roundtrip(&noise, 30_000);
    }

    #[test]
    fn bytes_pushed_in_pieces_compress_as_pushed_whole() {
        // Rows of text beside flat space: literals, and zero runs of every length.
        let mut seed = 3u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            seed >> 8
        };
        let mut data = Vec::new();
        while data.len() < 40_000 {
            let run = [0, 1, 2, 3, 4, 258, 259, 260, 261, 600][next() as usize % 10];
            data.extend(std::iter::repeat_n(0, run));
            data.extend((0..next() % 20).map(|_| (next() % 255 + 1) as u8));
        }
        let whole = compress(&data, false);
        for cut in [1, 7, 64, 300, 2341] {
            let mut pieces = Compressor::new();
            let mut at = 0;
            while at < data.len() {
                let end = (at + cut + next() as usize % cut).min(data.len());
                let piece = &data[at..end];
                if piece.iter().all(|&b| b == 0) {
                    pieces.push_zeros(piece.len());
                } else {
                    pieces.push(piece);
                }
                at = end;
            }
            let pieces = pieces.finish(false);
            assert!(pieces.bytes == whole.bytes, "cut {cut}");
            assert_eq!((pieces.adler, pieces.len), (whole.adler, whole.len));
        }
        assert_eq!(inflate(&zlib(vec![whole, compress(&[], true)])), data);
    }

    #[test]
    fn every_zero_run_length_round_trips() {
        for run in 0..600 {
            let mut data = vec![1u8];
            data.extend(std::iter::repeat_n(0, run));
            data.push(2);
            roundtrip(&data, data.len());
        }
    }

    #[test]
    fn skewed_counts_still_give_codes_of_fifteen_bits_at_most() {
        // Fibonacci counts make the deepest possible Huffman tree.
        let mut counts = [0u32; LITLEN];
        let (mut a, mut b) = (1u32, 1u32);
        for c in counts.iter_mut().take(30) {
            *c = a;
            (a, b) = (b, a.saturating_add(b));
        }
        let lengths = code_lengths(&counts);
        assert!(lengths.iter().all(|&l| l <= MAX_BITS));
        let kraft: f64 = lengths
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| 0.5f64.powi(i32::from(l)))
            .sum();
        assert!((kraft - 1.0).abs() < 1e-12, "complete code: {kraft}");
    }

    #[test]
    fn a_block_of_the_longest_codes_fits_the_writer_sized_for_it() {
        // Symbol k appears fib(k) times, interleaved: the rarest literals get
        // 15-bit codes, and the writer is sized from the counts up front.
        let (mut a, mut b) = (1usize, 1usize);
        let mut data = Vec::new();
        for k in 1..=24u8 {
            data.extend(std::iter::repeat_n(k, a));
            (a, b) = (b, a + b);
        }
        let n = data.len();
        let shuffled: Vec<u8> = (0..n).map(|i| data[i * 7919 % n]).collect();
        for stripe in [n, 4096, 333] {
            roundtrip(&shuffled, stripe);
        }
    }

    #[test]
    fn adler_of_joined_inputs_is_combined_from_the_parts() {
        let a: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        let b: Vec<u8> = (0..70_001u32).map(|i| (i * 3 % 256) as u8).collect();
        let whole: Vec<u8> = a.iter().chain(&b).copied().collect();
        let combined = adler_combine(
            simd_adler32::adler32(&a.as_slice()),
            simd_adler32::adler32(&b.as_slice()),
            b.len(),
        );
        assert_eq!(combined, simd_adler32::adler32(&whole.as_slice()));
    }

    #[test]
    fn adler_of_small_pieces_summed_byte_by_byte_is_the_checksum() {
        // Bytes of 255 after a checksum near the modulus: the largest sums.
        let start: Vec<u8> = (0..65_519u32).map(|i| (i % 256) as u8).collect();
        let adler = simd_adler32::adler32(&start.as_slice());
        for len in 0..=SMALL_PIECE {
            for fill in [0u8, 1, 254, 255] {
                let piece = vec![fill; len];
                let whole: Vec<u8> = start.iter().chain(&piece).copied().collect();
                assert_eq!(
                    adler_small(adler, &piece),
                    simd_adler32::adler32(&whole.as_slice()),
                    "{len} × {fill}"
                );
            }
        }
    }
}
