import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// The tokenizers trained by `Tests/Fixtures/tokenizer/make_tiny_tokenizer.py` (byte-level with
/// Digits, Llama 3 and Qwen2 style Split regexes, SentencePiece style with byte fallback,
/// Metaspace), against the ids and texts the Rust `tokenizers` library gave.
@Suite struct TokenizerTinyTests {
    @Test(arguments: TokenizerFixtures.tinyNames)
    func encodesAsTheRustLibrary(name: String) throws {
        let folder = TokenizerFixtures.tiny.appendingPathComponent(name)
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        let records = try TokenizerFixtures.lines(folder.appendingPathComponent("expected.jsonl"), as: ExpectedEncoding.self)
        #expect(records.count >= 300)
        let checked = TokenizerFixtures.check(tokenizer, records, name: name)
        print("\(name): \(checked) texts checked")
    }

    @Test(arguments: TokenizerFixtures.tinyNames)
    func decodesArbitraryIdsAsTheRustLibrary(name: String) throws {
        let folder = TokenizerFixtures.tiny.appendingPathComponent(name)
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        let records = try TokenizerFixtures.lines(folder.appendingPathComponent("decode.jsonl"), as: ExpectedDecoding.self)
        #expect(records.count >= 100)
        for record in records {
            let decoded = tokenizer.decode(record.ids)
            #expect(TokenizerFixtures.scalars(decoded) == TokenizerFixtures.scalars(record.decoded),
                    "\(name) decode(\(record.ids)) gave \(TokenizerFixtures.debug(decoded))")
            let skipped = tokenizer.decode(record.ids, skipSpecialTokens: true)
            #expect(TokenizerFixtures.scalars(skipped) == TokenizerFixtures.scalars(record.decoded_skip_special),
                    "\(name) decode(\(record.ids), skipSpecialTokens) gave \(TokenizerFixtures.debug(skipped))")
            for skip in [false, true] {
                var stream = tokenizer.streamingDecoder(skipSpecialTokens: skip)
                var streamed = ""
                for id in record.ids { streamed += stream.push(id) }
                streamed += stream.finish()
                #expect(TokenizerFixtures.scalars(streamed) == TokenizerFixtures.scalars(skip ? skipped : decoded),
                        "\(name) streaming \(record.ids) skip \(skip) gave \(TokenizerFixtures.debug(streamed))")
            }
        }
        print("\(name): \(records.count) id sequences decoded")
    }
}
