@testable import FSLMTransformer
import Foundation
import Testing

/// The one JSON parser, as the weights (canonical keys) and the tokenizer (exact keys) use it.
@Suite struct JSONParserTests {
    /// Parses `text` as the config and safetensors code does.
    static func canonical(_ text: String) -> Result<JSONValue, JSONParseError> {
        Result { () throws(JSONParseError) in try JSONValue.parse(Data(text.utf8)) }
    }

    /// Parses `text` as the tokenizer does.
    static func exact(_ text: String) -> Result<JSONField, TokenizerError> {
        Result { () throws(TokenizerError) in try JSONField.parse(Data(text.utf8), path: "t.json") }
    }

    /// An object of `count` members `"k0": 0, …` followed by `extra`.
    static func object(_ count: Int, _ extra: String) -> String {
        "{" + (0..<count).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + extra + "}"
    }

    @Test func objectsKeepFileOrderAndKeysAsWritten() throws {
        let field = try Self.exact(#"{"b": 1, "a": 2, "e\u0301": 3, "é": 4}"#).get()
        let keys = try field.members().map { Array($0.key.utf8) }
        #expect(keys == [[0x62], [0x61], [0x65, 0xCC, 0x81], [0xC3, 0xA9]])
        #expect(field.value.brief == #"{"a": 2, "b": 1, "e\#u{301}": 3, "é": 4}"#)
    }

    @Test func duplicateKeysAreExactForTheTokenizerAndCanonicalForDictionaries() {
        for count in [0, 40] {  // a scan, then the hash table
            let twoForms = Self.object(count, #"\#(count > 0 ? ", " : "")"é": 1, "e\u0301": 2"#)
            #expect(throws: Never.self) { try Self.exact(twoForms).get() }
            #expect(throws: JSONParseError.self) { try Self.canonical(twoForms).get() }
            let repeated = Self.object(count, #"\#(count > 0 ? ", " : "")"k": 1, "k": 2"#)
            let offset = repeated.utf8.count - 7
            #expect(throws: JSONParseError(offset: offset, problem: "duplicate key 'k'")) { try Self.canonical(repeated).get() }
            let error = try? #require(throws: TokenizerError.self) { try Self.exact(repeated).get() }
            #expect(error?.message == "invalid JSON at line 1, column \(offset + 1): duplicate key 'k'")
        }
        #expect(throws: JSONParseError.self) { try Self.canonical(Self.object(1000, ", \"k999\": 1")).get() }
        #expect(throws: Never.self) { try Self.exact(Self.object(1000, "")).get() }
    }

    @Test func integersStayExact() throws {
        let value = try Self.canonical("[0, -0, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1.0, 2e2]").get()
        guard case .array(let items) = value else { Issue.record("not an array"); return }
        #expect(items.map(\.brief) == ["0", "0", "9223372036854775807", "-9223372036854775808", "9.223372036854776e+18", "1.0", "200.0"])
        #expect(items.map(\.intValue) == [0, 0, Int.max, Int.min, nil, 1, 200])
    }

    @Test func tokenizerSyntaxErrorsNameLineAndColumn() {
        let error = try? #require(throws: TokenizerError.self) { try Self.exact("{\n  \"é\": 01}").get() }
        #expect(error?.description == "t.json: invalid JSON at line 2, column 9: expected ',' or '}'")
        let deep = String(repeating: "[", count: 600)
        let nesting = try? #require(throws: TokenizerError.self) { try Self.exact(deep).get() }
        #expect(nesting?.message == "invalid JSON at line 1, column 513: nesting deeper than 512")
    }
}
