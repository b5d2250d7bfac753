import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// The real GPT-2 and GPT-NeoX-20B tokenizers against the ids of the Rust `tokenizers`
/// library (0.23.3), from `../shared/fixtures/tokenizers`.
@Suite struct TokenizerConformanceTests {
    @Test(.enabled(if: TokenizerFixtures.sharedAvailable,
                   "skipped: ../shared/fixtures/tokenizers (real tokenizers and their expected ids) is not beside the package"),
          arguments: ["gpt2", "gpt-neox-20b"])
    func matchesRustTokenizers(name: String) throws {
        let folder = TokenizerFixtures.shared.appendingPathComponent(name)
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        let records = try TokenizerFixtures.lines(folder.appendingPathComponent("expected.jsonl"), as: ExpectedEncoding.self)
        let checked = TokenizerFixtures.check(tokenizer, records, name: name)
        #expect(checked >= 394)
        print("\(name): \(checked) cases checked against tokenizers 0.23.3")
    }

    @Test(.enabled(if: TokenizerFixtures.sharedAvailable, "skipped: ../shared/fixtures/tokenizers is not beside the package"))
    func specialTokensAndSizes() throws {
        let gpt2 = try Tokenizer(contentsOf: TokenizerFixtures.shared.appendingPathComponent("gpt2/tokenizer.json"))
        #expect(gpt2.vocabularySize == 50257)
        #expect(gpt2.maxTokenID == 50256)
        #expect(gpt2.bosTokenID == 50256)
        #expect(gpt2.eosTokenID == 50256)
        #expect(gpt2.id(ofSpecial: "<|endoftext|>") == 50256)
        #expect(gpt2.tokenString(995) == "\u{120}world")
        #expect(gpt2.tokenBytes(995) == Array(" world".utf8))
        #expect(gpt2.encode("Hello<|endoftext|>") == [15496, 50256])

        let neox = try Tokenizer(contentsOf: TokenizerFixtures.shared.appendingPathComponent("gpt-neox-20b/tokenizer.json"))
        #expect(neox.vocabularySize == 50277)
        #expect(neox.bosTokenID == 0)
        #expect(neox.eosTokenID == 0)
        #expect(neox.id(ofSpecial: "<|padding|>") == 1)
        #expect(neox.decode([0, 12092], skipSpecialTokens: true) == neox.decode([12092]))
    }
}
