import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// One line of an `expected.jsonl`: what the Rust `tokenizers` library gives for `text`.
struct ExpectedEncoding: Decodable {
    let source: String
    let text: String
    let ids: [Int]
    let ids_with_special_tokens: [Int]
    let decoded: String
    let decoded_skip_special: String?
}

/// One line of a `decode.jsonl`: arbitrary ids and what the Rust library decodes them to.
struct ExpectedDecoding: Decodable {
    let ids: [Int]
    let decoded: String
    let decoded_skip_special: String
}

enum TokenizerFixtures {
    /// `../shared/fixtures/tokenizers` beside the package: real tokenizers and their expected ids.
    static let shared = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/tokenizers")
    static var sharedAvailable: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("gpt2/tokenizer.json").path)
    }

    /// The tokenizers made by `Tests/Fixtures/tokenizer/make_tiny_tokenizer.py`.
    static let tiny = Fixtures.url("tokenizer")
    static let tinyNames = ["tiny-bytelevel", "tiny-llama3", "tiny-qwen2", "tiny-sentencepiece", "tiny-metaspace"]

    static func lines<T: Decodable>(_ url: URL, as type: T.Type) throws -> [T] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        // Split on "\n" bytes only: texts hold U+2028 and friends, escaped.
        return try text.utf8.split(separator: UInt8(ascii: "\n")).map { line in
            try decoder.decode(T.self, from: Data(line))
        }
    }

    static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    /// Checks every record against `tokenizer`; returns how many were checked.
    static func check(_ tokenizer: Tokenizer, _ records: [ExpectedEncoding], name: String) -> Int {
        for record in records {
            let ids = tokenizer.encode(record.text)
            #expect(ids == record.ids, "\(name) \(record.source): encode(\(debug(record.text)))")
            #expect(tokenizer.encode(record.text, addSpecialTokens: true) == record.ids_with_special_tokens,
                    "\(name) \(record.source): encode with special tokens")
            let decoded = tokenizer.decode(record.ids)
            #expect(scalars(decoded) == scalars(record.decoded),
                    "\(name) \(record.source): decode gave \(debug(decoded)), expected \(debug(record.decoded))")
            if let skip = record.decoded_skip_special {
                #expect(scalars(tokenizer.decode(record.ids, skipSpecialTokens: true)) == scalars(skip),
                        "\(name) \(record.source): decode skipping special tokens")
            }
            var stream = tokenizer.streamingDecoder()
            var streamed = ""
            for id in record.ids { streamed += stream.push(id) }
            streamed += stream.finish()
            #expect(scalars(streamed) == scalars(decoded), "\(name) \(record.source): streaming decode \(debug(streamed))")
        }
        return records.count
    }

    static func debug(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined().prefix(200))
    }
}
