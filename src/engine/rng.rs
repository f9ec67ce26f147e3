//! The engine's one random source: a seeded SplitMix64. Same seed, same sequence, on
//! every platform — so pod-name suffixes, UIDs, ClusterIPs and node ports are repeatable.

/// A small, fast, deterministic generator (SplitMix64, Steele et al. 2014).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

/// The alphabet Kubernetes uses for generated name suffixes
/// (apimachinery `util/rand.String`: no vowels, no confusable characters).
pub const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        // Rejection sampling keeps the distribution uniform.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// A generated-name suffix of `len` characters, like `x2k9p`.
    pub fn suffix(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| SUFFIX_ALPHABET[self.below(SUFFIX_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A random (version 4) UUID, as the API server writes into `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let bytes: Vec<u8> = a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect();
        let mut hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        hex[6] = format!("4{}", &hex[6][1..]);
        hex[8] = format!("{:x}{}", 8 + (bytes[8] >> 6 & 0x3), &hex[8][1..]);
        let h = hex.concat();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert_eq!(a.suffix(5), b.suffix(5));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn uuids_are_version_4() {
        let u = Rng::new(7).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
    }

    #[test]
    fn suffixes_use_the_kubernetes_alphabet() {
        let s = Rng::new(3).suffix(200);
        assert!(s.bytes().all(|c| SUFFIX_ALPHABET.contains(&c)));
    }
}
