//! The one random-number generator of synthesis: xoshiro256** (Blackman and Vigna) seeded
//! through splitmix64, both written out here so that no dependency can change the stream of
//! numbers a seed gives.
//!
//! [`Rng`] draws the 2.0 records, with Lemire's multiply-shift reduction. The 1.0 generator
//! predates it and draws straight from a [`SplitMix64`] stream reduced with `% n`; its draws
//! stay that way because `dsti generate --version 1.0` must give the same bytes for every
//! seed, release after release.

/// xoshiro256** seeded through splitmix64: small, fast, and fixed forever.
#[derive(Debug, Clone)]
pub(super) struct Rng([u64; 4]);

impl Rng {
    /// The generator for `seed`: its state is the first four outputs of splitmix64 from
    /// `seed` (as rand_xoshiro's `seed_from_u64`).
    pub(super) fn new(seed: u64) -> Rng {
        let mut seeder = SplitMix64::new(seed);
        Rng([
            seeder.next_u64(),
            seeder.next_u64(),
            seeder.next_u64(),
            seeder.next_u64(),
        ])
    }

    /// The next 64 random bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` for `n > 0` (Lemire's multiply-shift; the bias, below n / 2^64, does
    /// not matter here).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub(super) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    pub(super) fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.index(items.len())]
    }

    /// True with probability `p` percent.
    pub(super) fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    /// True with probability `p` per mille.
    pub(super) fn per_mille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }

    /// One of `items`, each as likely as its weight.
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|&(_, w)| u64::from(w)).sum();
        let mut roll = self.below(total);
        for &(item, w) in items {
            if roll < u64::from(w) {
                return item;
            }
            roll -= u64::from(w);
        }
        items[items.len() - 1].0
    }

    /// Appends `n` random decimal digits.
    pub(super) fn push_digits(&mut self, s: &mut String, n: usize) {
        for _ in 0..n {
            s.push(char::from(b'0' + self.below(10) as u8));
        }
    }
}

/// The splitmix64 stream (Steele, Lea and Flood): the seeder of [`Rng`], and the stream the
/// 1.0 generator draws from.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(u64);

impl SplitMix64 {
    /// The stream starting from `seed`.
    pub(super) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` for `n = 0`) by `% n`, as the 1.0 generator has always drawn:
    /// slightly biased towards small numbers for large `n`, kept so that its output does not
    /// change. New draws use [`Rng::below`].
    pub(super) fn below_mod(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_numbers_are_xoshiro256_starstar() {
        // Reference values of xoshiro256** seeded by splitmix64 (as rand_xoshiro's
        // `seed_from_u64`).
        let mut r = Rng::new(0);
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64()],
            [
                0x99ec_5f36_cb75_f2b4,
                0xbf6e_1f78_4956_452a,
                0x1a5f_849d_4933_e6e0
            ]
        );
        let mut r = Rng::new(1);
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64()],
            [
                0xb3f2_af6d_0fc7_10c5,
                0x853b_5596_4736_4cea,
                0x92f8_9756_082a_4514
            ]
        );
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            assert!((3..=5).contains(&r.between(3, 5)));
        }
    }

    #[test]
    fn splitmix64_reference_values() {
        // Reference outputs of splitmix64 from seed 0 (Vigna's splitmix64.c).
        let mut s = SplitMix64::new(0);
        assert_eq!(
            [s.next_u64(), s.next_u64(), s.next_u64()],
            [
                0xe220_a839_7b1d_cdaf,
                0x6e78_9e6a_a1b9_65f4,
                0x06c4_5d18_8009_454f
            ]
        );
        let mut s = SplitMix64::new(9);
        for n in [0, 1, 7, 1000] {
            assert!(s.below_mod(n) < n.max(1));
        }
    }
}
