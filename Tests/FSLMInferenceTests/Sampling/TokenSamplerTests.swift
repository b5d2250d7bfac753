import FSLMInference
import Testing

@Suite struct TokenSamplerTests {
    // MARK: Seeded generator

    @Test func seededGeneratorIsSplitMix64() {
        // Reference values of splitmix64.c (Vigna) for seeds 1234567 and 0.
        var generator = SeededGenerator(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func unitNumbersAreTheTop53BitsAndResetRepeats() {
        // seed 0: next() = 0xE220A8397B1DCDAF; (next() >> 11) · 2^-53 = 0.8833108082136426.
        var generator = SeededGenerator(seed: 0)
        #expect(generator.nextUnit() == Double(0xE220_A839_7B1D_CDAF as UInt64 >> 11) * 0x1p-53)
        #expect(generator.seed == 0)
        generator.reset()
        #expect(generator.nextUnit() == 0.8833108082136426)
    }

    // MARK: Greedy

    @Test func greedyPicksTheLargestLogitAndTheLowestIdAmongTies() {
        var sampler = TokenSampler.greedy
        #expect(sampler.isGreedy)
        #expect(sampler.sample(oneToFour) == 3)
        #expect(sampler.sample([1, 3, 3, 2]) == 1)
        #expect(sampler.sample([5, 5, 5, 5]) == 0)
        #expect(sampler.sample([-.infinity, -.infinity, -2, -.infinity]) == 2)
    }

    @Test func nothingIsDrawnWhenEveryTokenIsMasked() {
        var greedy = TokenSampler.greedy
        #expect(greedy.sample([-.infinity, -.infinity, -.infinity, -.infinity]) == nil)
        #expect(greedy.sample([]) == nil)
        var random = TokenSampler.multinomial(seed: 1)
        #expect(random.sample([-.infinity, -.infinity, -.infinity, -.infinity]) == nil)
    }

    // MARK: Multinomial

    @Test(arguments: [
        // Probabilities 0.1, 0.2, 0.3, 0.4: cumulative 0.1, 0.3, 0.6, 1.0, so token i is
        // picked for u in [F(i-1), F(i)).
        (0.0, 0), (0.0999, 0), (0.1001, 1), (0.2999, 1), (0.3001, 2), (0.5999, 2), (0.6001, 3), (0.9999, 3),
    ])
    func pickInvertsTheCumulativeDistribution(u: Double, token: Int) {
        #expect(TokenSampler.pick(oneToFour, at: u) == token)
    }

    @Test func pickNeverLandsOnAMaskedToken() {
        // Weights 1, 0, 1, 0 (W = 2): token 0 for u < 0.5, token 2 from 0.5 on.
        let logits: [Float] = [0, -.infinity, 0, -.infinity]
        #expect(TokenSampler.pick(logits, at: 0.4999) == 0)
        #expect(TokenSampler.pick(logits, at: 0.5) == 2)
        #expect(TokenSampler.pick(logits, at: 0.9999999) == 2)
        // Only token 3 unmasked: always 3, even at u = 0.
        #expect(TokenSampler.pick([-.infinity, -.infinity, -.infinity, 1], at: 0) == 3)
        #expect(TokenSampler.pick([-.infinity, -.infinity], at: 0.3) == nil)
    }

    @Test func aSeededDrawIsThePickAtTheGeneratorsNextNumber() {
        var sampler = TokenSampler.multinomial(seed: 42)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<32 {
            #expect(sampler.sample(oneToFour) == TokenSampler.pick(oneToFour, at: generator.nextUnit()))
        }
    }

    @Test func theSameSeedGivesTheSameDrawsOnEveryPlatform() {
        // SplitMix64 with seed 42: u = 0.7416, 0.1599, 0.2786, 0.3442, 0.0380, 0.8682, 0.2184,
        // 0.8006, 0.3399, 0.6185, 0.2049, 0.4930; against cumulative 0.1, 0.3, 0.6, 1.0:
        var sampler = TokenSampler.multinomial(seed: 42)
        let draws = (0..<12).map { _ in sampler.sample(oneToFour) }
        #expect(draws == [3, 1, 1, 2, 0, 3, 1, 3, 2, 3, 1, 2])
        // Uniform over 4: the token is ⌊4u⌋, the top two bits of next().
        var uniform = TokenSampler.multinomial(seed: 42)
        #expect((0..<12).map { _ in uniform.sample([0, 0, 0, 0]) } == [2, 0, 1, 1, 0, 3, 0, 3, 1, 2, 0, 1])
        // Reset returns to the seed.
        sampler.reset()
        #expect((0..<12).map { _ in sampler.sample(oneToFour) } == draws)
    }

    @Test func withoutASeedTheSeedUsedIsKnownAndRepeatsTheDraws() throws {
        var unseeded = TokenSampler.multinomial(seed: nil)
        let seed = try #require(unseeded.generator?.seed)
        var again = TokenSampler.multinomial(seed: seed)
        for _ in 0..<16 {
            #expect(unseeded.sample([0, 0, 0, 0]) == again.sample([0, 0, 0, 0]))
        }
    }
}
