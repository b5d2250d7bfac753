/// A seeded random number generator for sampling: SplitMix64 (Steele, Lea and Flood 2014, as
/// in Vigna's reference `splitmix64.c`), so the same seed gives the same sequence of numbers on
/// every platform:
///
///     state ← state + 0x9E3779B97F4A7C15   (mod 2^64)
///     z ← (state ⊕ (state >> 30)) · 0xBF58476D1CE4E5B9
///     z ← (z ⊕ (z >> 27)) · 0x94D049BB133111EB
///     next = z ⊕ (z >> 31)
///
/// FSLMEngine's `SplitMix64` (retry jitter) is the same algorithm; it could move here later.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    /// The seed the generator started from; `reset` returns to it.
    public let seed: UInt64
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        self.state = seed
    }

    /// A generator seeded from the system's random number generator; `seed` tells which seed,
    /// so the run can be repeated.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1) from the top 53 bits of `next()`: `u = (next() >> 11) · 2^-53`, exact in
    /// a `Double`.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Returns to the state the generator was seeded in.
    public mutating func reset() {
        state = seed
    }
}
