@testable import FSLMTransformer
import Foundation
import Testing

/// Each normalizer, pre-tokenizer, the regex engine and the streaming decoder on hand-made
/// examples (expected values from the Rust `tokenizers` library 0.23.3), and the errors for
/// components fslm does not implement.
@Suite struct TokenizerStageTests {
    static func field(_ json: String) throws -> JSONField {
        try JSONField.parse(Data(json.utf8), path: "test.json")
    }

    static func normalize(_ json: String, _ text: String) throws -> [UInt32] {
        try NormalizerFactory.make(field(json)).normalize(Array(text.unicodeScalars)).map(\.value)
    }

    static func split(_ json: String, _ text: String, atStart: Bool = true) throws -> [String] {
        try PreTokenizerFactory.make(field(json)).split(TextPiece(scalars: Array(text.unicodeScalars), atStart: atStart))
            .map(\.scalars.string)
    }

    static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
    static func scalars(_ texts: [String]) -> [[UInt32]] { texts.map(scalars) }

    // MARK: Normalizers

    @Test func unicodeForms() throws {
        #expect(try Self.normalize(#"{"type": "NFC"}"#, "cafe\u{301} A\u{30A}") == Self.scalars("caf\u{E9} \u{C5}"))
        #expect(try Self.normalize(#"{"type": "NFD"}"#, "caf\u{E9}") == Self.scalars("cafe\u{301}"))
        #expect(try Self.normalize(#"{"type": "NFKC"}"#, "ﬁ ① Ⅻ ｶ") == Self.scalars("fi 1 XII カ"))
        #expect(try Self.normalize(#"{"type": "NFKD"}"#, "ﬁ\u{E9}") == Self.scalars("fie\u{301}"))
        #expect(try Self.normalize(#"{"type": "NFC"}"#, "plain ascii\r\n") == Self.scalars("plain ascii\r\n"))
    }

    @Test func lowercaseMapsEachScalarWithoutContext() throws {
        // İ → i + combining dot; every Σ → σ (no final sigma), as Rust's char::to_lowercase.
        #expect(try Self.normalize(#"{"type": "Lowercase"}"#, "HÉLLO İ ΣΑΣ") == Self.scalars("héllo i\u{307} σασ"))
    }

    @Test func prependReplaceStripAndSequences() throws {
        let sentencePiece = #"{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}"#
        #expect(try Self.normalize(sentencePiece, "Hello  world") == Self.scalars("▁Hello▁▁world"))
        #expect(try Self.normalize(sentencePiece, "") == [])
        #expect(try Self.normalize(#"{"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}"#, "a \t\nb  c") == Self.scalars("a b c"))
        #expect(try Self.normalize(#"{"type": "Strip", "strip_left": true, "strip_right": true}"#, " \u{3000}a b\n") == Self.scalars("a b"))
        #expect(try Self.normalize(#"{"type": "Strip", "strip_left": false, "strip_right": true}"#, " \u{3000}a b\n") == Self.scalars(" \u{3000}a b"))
        #expect(try Self.normalize(#"{"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}]}"#, "café ñ") == Self.scalars("cafe n"))
        #expect(try Self.normalize(#"{"type": "ByteLevel"}"#, "é \n") == Self.scalars("Ã©ĠĊ"))
    }

    // MARK: Pre-tokenizers

    @Test func byteLevel() throws {
        let plain = #"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true}"#
        #expect(try Self.split(plain, "Hello my friend, how is your day going?")
            == ["Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"])
        #expect(try Self.split(plain, "Hello there       dear") == ["Hello", "Ġthere", "ĠĠĠĠĠĠ", "Ġdear"])
        #expect(try Self.split(plain, "Hello there\nHello there") == ["Hello", "Ġthere", "Ċ", "Hello", "Ġthere"])
        #expect(try Self.split(plain, "i⭢j") == ["i", "âŃ¢", "j"])
        let prefixed = #"{"type": "ByteLevel", "add_prefix_space": true}"#
        #expect(try Self.split(prefixed, "Hello my")  == ["ĠHello", "Ġmy"])
        #expect(try Self.split(prefixed, " Hello my")  == ["ĠHello", "Ġmy"])
        let noRegex = #"{"type": "ByteLevel", "add_prefix_space": true, "use_regex": false}"#
        #expect(try Self.split(noRegex, "Hello my friend,") == ["ĠHelloĠmyĠfriend,"])
    }

    @Test func splitBehaviors() throws {
        let expected: [String: [String]] = [
            "Removed": ["The", "final", "countdown"],
            "Isolated": ["The", "-", "final", "-", "-", "countdown"],
            "MergedWithPrevious": ["The-", "final-", "-", "countdown"],
            "MergedWithNext": ["The", "-final", "-", "-countdown"],
            "Contiguous": ["The", "-", "final", "--", "countdown"],
        ]
        for (behavior, pieces) in expected {
            let json = #"{"type": "Split", "pattern": {"String": "-"}, "behavior": "\#(behavior)", "invert": false}"#
            #expect(try Self.split(json, "The-final--countdown") == pieces, "\(behavior)")
        }
        let inverted = #"{"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Removed", "invert": true}"#
        #expect(try Self.split(inverted, "Hey, man!") == ["Hey", "man"])
    }

    @Test func digitsWhitespacePunctuationMetaspace() throws {
        #expect(try Self.split(#"{"type": "Digits", "individual_digits": true}"#, "Call 123 please ٣٤")
            == ["Call ", "1", "2", "3", " please ", "٣", "٤"])
        #expect(try Self.split(#"{"type": "Digits", "individual_digits": false}"#, "Call 123 please ٣٤")
            == ["Call ", "123", " please ", "٣٤"])
        #expect(try Self.split(#"{"type": "Whitespace"}"#, "Hey man!  How_are you? ünïcode")
            == ["Hey", "man", "!", "How_are", "you", "?", "ünïcode"])
        #expect(try Self.split(#"{"type": "WhitespaceSplit"}"#, "Hey  man!\tok") == ["Hey", "man!", "ok"])
        #expect(try Self.split(#"{"type": "CharDelimiterSplit", "delimiter": "_"}"#, "a_b__c") == ["a", "b", "c"])
        #expect(try Self.split(#"{"type": "Punctuation"}"#, "Hey friend!     How are you?!?")
            == ["Hey friend", "!", "     How are you", "?", "!", "?"])
        let always = #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}"#
        #expect(try Self.split(always, "Hey   friend!") == ["▁Hey", "▁", "▁", "▁friend!"])
        let first = #"{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}"#
        #expect(try Self.split(first, "Hey friend") == ["▁Hey▁friend"])
        #expect(try Self.split(first, "Hey friend", atStart: false) == ["Hey▁friend"])
        let sequence = #"{"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": true}]}"#
        #expect(try Self.split(sequence, "ab12 c3") == ["ab", "1", "2", "c", "3"])
    }

    // MARK: Regex engine (Oniguruma semantics)

    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    static func pieces(_ pattern: String, _ text: String) throws -> [[UInt32]] {
        let scalars = Array(text.unicodeScalars)
        let regex = try ScalarRegex(pattern)
        let parts = SplitBehavior.parts(matches: regex.matches(in: scalars), count: scalars.count)
        return SplitBehavior.isolated.apply(TextPiece(scalars: scalars, atStart: true), parts).map { $0.scalars.map(\.value) }
    }

    @Test func gpt2AndLlama3Patterns() throws {
        let cases: [(String, String, [String])] = [
            (Self.gpt2, "HELLO'S it'll 12345 x", ["HELLO", "'", "S", " it", "'ll", " 12345", " x"]),
            (Self.gpt2, "a  b\n\n  c\t\u{0B}\u{85}d", ["a", " ", " b", "\n\n ", " c", "\t\u{0B}", "\u{85}", "d"]),
            (Self.gpt2, "  ,.!? ok...\r\n\r\n", [" ", " ,.!?", " ok", "...", "\r\n\r\n"]),
            (Self.gpt2, "x\u{A0}\u{A0}y", ["x", "\u{A0}", "\u{A0}", "y"]),
            (Self.llama3, "HELLO'S it'll 12345 x", ["HELLO", "'S", " it", "'ll", " ", "123", "45", " x"]),
            (Self.llama3, "a  b\n\n  c\t\u{0B}\u{85}d", ["a", " ", " b", "\n\n", " ", " c", "\t\u{0B}", "\u{85}d"]),
            (Self.llama3, "  ,.!? ok...\r\n\r\n", [" ", " ,.!?", " ok", "...\r\n\r\n"]),
            (Self.llama3, "don'T we've", ["don", "'T", " we", "'ve"]),
            (Self.llama3, "x\u{A0}\u{A0}y", ["x", "\u{A0}", "\u{A0}y"]),
            (Self.llama3, "$1234.5", ["$", "123", "4", ".", "5"]),
        ]
        for (pattern, text, expected) in cases {
            #expect(try Self.pieces(pattern, text) == Self.scalars(expected), "\(text.debugDescription)")
        }
    }

    @Test func regexFeatures() throws {
        func matches(_ pattern: String, _ text: String) throws -> [String] {
            let scalars = Array(text.unicodeScalars)
            return try ScalarRegex(pattern).matches(in: scalars).map { Array(scalars[$0]).string }
        }
        #expect(try matches("a+?", "aaa") == ["a", "a", "a"])
        #expect(try matches("a{2,3}", "aaaaaaa") == ["aaa", "aaa"])
        #expect(try matches("(?:ab)+", "ababxab") == ["abab", "ab"])
        #expect(try matches("(?<=x)y", "xy y") == ["y"])
        #expect(try matches("(?<!x)y", "xy y") == ["y"])
        #expect(try matches("a*", "baa") == ["", "aa"])
        #expect(try matches(#"[\p{Lu}\d]+"#, "abCD12ef") == ["CD12"])
        #expect(try matches("[^a-c]+", "abcdefabc") == ["def"])
        #expect(try matches("(?i)hello", "HeLLo hello") == ["HeLLo", "hello"])
        #expect(try matches(#"^\w+$"#, "one\ntwo three") == ["one"])
        #expect(try matches(#"\bis\b"#, "this is it") == ["is"])
        #expect(try matches("(?>a+)b", "aaab") == ["aaab"])
        #expect(try matches("a++a", "aaa") == [])
        #expect(try matches(#"\x41\u0042\x{1F600}"#, "AB😀") == ["AB😀"])
        #expect(try matches("[[:alpha:]]+", "ab1cd") == ["ab", "cd"])
        #expect(try matches(".", "a\nb") == ["a", "b"])
        #expect(throws: RegexSyntaxError.self) { try ScalarRegex(#"(a)\1"#) }
        #expect(throws: RegexSyntaxError.self) { try ScalarRegex("a(b") }
        #expect(throws: RegexSyntaxError.self) { try ScalarRegex(#"\p{Han}"#) }
    }

    @Test func regexFallsBackToFoundation() throws {
        // A script property fslm's engine refuses: NSRegularExpression (ICU) takes it.
        let field = try Self.field(#"{"Regex": "\\p{Han}+"}"#)
        let regex = try SplitPattern.read(field)
        guard case .foundation = regex else {
            Issue.record("expected the Foundation fallback")
            return
        }
        let text = Array("ab漢字cd𠀀".unicodeScalars)
        #expect(regex.matches(in: text).map { Array(text[$0]).string } == ["漢字", "𠀀"])
    }

    // MARK: Errors

    static func loadError(_ json: String) -> TokenizerError? {
        do {
            _ = try Tokenizer(json: Data(json.utf8), path: "models/x/tokenizer.json")
            return nil
        } catch let error as TokenizerError {
            return error
        } catch {
            return nil
        }
    }

    static let model = #""model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}"#

    @Test func unknownTypesNameTheFileAndField() throws {
        let normalizer = Self.loadError(#"{"normalizer": {"type": "Fancy"}, \#(Self.model)}"#)
        #expect(normalizer?.path == "models/x/tokenizer.json")
        #expect(normalizer?.field == "normalizer.type")
        #expect(normalizer?.description.contains("unknown normalizer type 'Fancy'") == true)
        #expect(normalizer?.description.hasPrefix("models/x/tokenizer.json: normalizer.type: ") == true)

        let nested = Self.loadError(#"{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits"}, {"type": "UnicodeScripts"}]}, \#(Self.model)}"#)
        #expect(nested?.field == "pre_tokenizer.pretokenizers[1].type")
        #expect(nested?.message.contains("unknown pre-tokenizer type 'UnicodeScripts'") == true)

        let model = Self.loadError(#"{"model": {"type": "WordPiece", "vocab": {}}}"#)
        #expect(model?.field == "model.type")
        #expect(model?.message.contains("unknown model type 'WordPiece'") == true)

        let decoder = Self.loadError(#"{"decoder": {"type": "CTC"}, \#(Self.model)}"#)
        #expect(decoder?.field == "decoder.type")
        let processor = Self.loadError(#"{"post_processor": {"type": "Sequence", "processors": [{"type": "Magic"}]}, \#(Self.model)}"#)
        #expect(processor?.field == "post_processor.processors[0].type")
        let missing = Self.loadError(#"{"normalizer": {"prepend": "x"}, \#(Self.model)}"#)
        #expect(missing?.field == "normalizer.type")
    }

    @Test func badFieldsAndJSON() throws {
        let merge = Self.loadError(#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}}"#)
        #expect(merge?.field == "model.merges[0]")
        #expect(merge?.message.contains("'ab' is not in the vocabulary") == true)
        let behavior = Self.loadError(#"{"pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways"}, \#(Self.model)}"#)
        #expect(behavior?.field == "pre_tokenizer.behavior")
        let json = Self.loadError("{\n  \"model\": {\"vocab\": {\"a\": 0,}}\n}")
        #expect(json?.description.contains("invalid JSON at line 2") == true)
        let regex = Self.loadError(#"{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}, \#(Self.model)}"#)
        #expect(regex?.field == "pre_tokenizer.pattern.Regex")
    }

    // MARK: Model and decoding

    @Test func bpeMergesByRankAndHandlesUnknowns() throws {
        let json = #"""
        {"model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true,
          "vocab": {"<unk>": 0, "a": 1, "b": 2, "c": 3, "ab": 4, "bc": 5, "abc": 6},
          "merges": [["b", "c"], ["a", "b"], "a bc"]}}
        """#
        let tokenizer = try Tokenizer(json: Data(json.utf8), path: "t.json")
        // "bc" ranks first, then "a bc".
        #expect(tokenizer.encode("abc") == [6])
        #expect(tokenizer.encode("ab") == [4])
        #expect(tokenizer.encode("abxyc") == [4, 0, 3])  // x and y fuse into one <unk>
        #expect(tokenizer.decode([4, 0, 3]) == "ab <unk> c")  // no decoder: joined by spaces
        #expect(tokenizer.vocabularySize == 7)
    }

    @Test func bpeSubwordPrefixAndWordSuffix() throws {
        let prefixed = #"""
        {"model": {"type": "BPE", "continuing_subword_prefix": "##",
          "vocab": {"a": 0, "##b": 1, "##c": 2, "ab": 3, "abc": 4, "b": 5},
          "merges": ["a ##b", "ab ##c"]}}
        """#
        let tokenizer = try Tokenizer(json: Data(prefixed.utf8), path: "t.json")
        #expect(tokenizer.encode("abc") == [4])
        #expect(tokenizer.encode("ab") == [3])
        #expect(tokenizer.encode("bc") == [5, 2])
        let suffixed = #"""
        {"model": {"type": "BPE", "end_of_word_suffix": "</w>",
          "vocab": {"a": 0, "b": 1, "c</w>": 2, "bc</w>": 3, "b</w>": 4},
          "merges": ["b c</w>"]},
         "pre_tokenizer": {"type": "WhitespaceSplit"},
         "decoder": {"type": "BPEDecoder", "suffix": "</w>"}}
        """#
        let words = try Tokenizer(json: Data(suffixed.utf8), path: "t.json")
        #expect(words.encode("abc ab") == [0, 3, 0, 4])
        #expect(words.decode([0, 3, 0, 4]) == "abc ab")
    }

    @Test func postProcessorsAddSpecialTokensOnlyWhenAsked() throws {
        let base = #""model": {"type": "BPE", "vocab": {"<s>": 0, "</s>": 1, "a": 2}, "merges": []}, "added_tokens": [{"id": 0, "content": "<s>", "special": true}, {"id": 1, "content": "</s>", "special": true}]"#
        let roberta = try Tokenizer(json: Data(#"{\#(base), "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0]}}"#.utf8), path: "t.json")
        #expect(roberta.encode("aa", addSpecialTokens: true) == [0, 2, 2, 1])
        #expect(roberta.encode("aa") == [2, 2])
        let template = #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}}"#
        let sequence = try Tokenizer(json: Data(#"{\#(base), "post_processor": {"type": "Sequence", "processors": [{"type": "ByteLevel", "trim_offsets": false}, \#(template)]}}"#.utf8), path: "t.json")
        #expect(sequence.encode("a", addSpecialTokens: true) == [0, 2, 1])
        #expect(sequence.bosTokenID == 0)
        #expect(sequence.eosTokenID == 1)
        #expect(sequence.decode([0, 2, 1], skipSpecialTokens: true) == "a")
        #expect(sequence.isSpecialToken(0) && !sequence.isSpecialToken(2))
    }

    @Test func streamingNeverEmitsHalfACharacter() throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.tiny.appendingPathComponent("tiny-bytelevel/tokenizer.json"))
        // 😀 is F0 9F 98 80: push its four byte tokens one at a time.
        let ids = [0xF0, 0x9F, 0x98, 0x80].map { tokenizer.id(ofToken: String(Character(ByteLevelAlphabet.scalars[$0])))! }
        var stream = tokenizer.streamingDecoder()
        #expect(ids.map { stream.push($0) } == ["", "", "", "😀"])
        // A lead byte followed by ASCII can no longer complete: U+FFFD, then the ASCII.
        let a = tokenizer.id(ofToken: "a")!
        #expect([ids[0], a].map { stream.push($0) } == ["", "\u{FFFD}a"])
        // An unfinished character at the end comes out of finish() as U+FFFD, as decode writes it.
        #expect(stream.push(ids[0]) == "")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(tokenizer.decode([ids[0]]) == "\u{FFFD}")
        // Special tokens are skipped when asked.
        var skipping = tokenizer.streamingDecoder(skipSpecialTokens: true)
        #expect(skipping.push(tokenizer.id(ofSpecial: "<|endoftext|>")!) == "")
        #expect(skipping.push(a) == "a")
    }

    @Test func streamingHoldsByteFallbackRuns() throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.tiny.appendingPathComponent("tiny-sentencepiece/tokenizer.json"))
        let text = "héllo 😀 wörld"
        let ids = tokenizer.encode(text)
        var stream = tokenizer.streamingDecoder()
        let pieces = ids.map { stream.push($0) } + [stream.finish()]
        #expect(pieces.joined() == text)
        #expect(!pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") })
        #expect(tokenizer.tokenBytes(tokenizer.id(ofToken: "<0x0A>")!) == [0x0A])
        #expect(tokenizer.tokenBytes(tokenizer.id(ofToken: "▁the")!) == Array(" the".utf8))
        #expect(tokenizer.bosTokenID == 1)
        #expect(tokenizer.eosTokenID == 2)
        #expect(tokenizer.encode("hi", addSpecialTokens: true).first == 1)
    }

    @Test func tokenizerConfigNamesBOSAndEOS() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("tokenizer.json")
        try FileManager.default.copyItem(at: TokenizerFixtures.tiny.appendingPathComponent("tiny-llama3/tokenizer.json"), to: json)
        let plain = try Tokenizer(contentsOf: json)
        #expect(plain.bosTokenID == plain.id(ofSpecial: "<|begin_of_text|>"))
        #expect(plain.eosTokenID == plain.id(ofSpecial: "<|end_of_text|>"))
        let config = #"{"bos_token": {"__type": "AddedToken", "content": "<|begin_of_text|>"}, "eos_token": "<|eot_id|>"}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let configured = try Tokenizer(contentsOf: json)
        #expect(configured.eosTokenID == plain.id(ofSpecial: "<|eot_id|>"))
        #expect(configured.bosTokenID == plain.bosTokenID)
        #expect(throws: TokenizerError.self) { try Tokenizer(contentsOf: folder.appendingPathComponent("missing.json")) }
    }

    @Test func concurrentEncodingAgrees() async throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.tiny.appendingPathComponent("tiny-llama3/tokenizer.json"))
        let texts = (0..<64).map { "text number \($0): the quick brown fox, \($0 * 7919) 😀 こんにちは" }
        let serial = texts.map { tokenizer.encode($0) }
        let parallel = await withTaskGroup(of: (Int, [Int]).self) { group in
            for (index, text) in texts.enumerated() { group.addTask { (index, tokenizer.encode(text)) } }
            var results = [[Int]](repeating: [], count: texts.count)
            for await (index, ids) in group { results[index] = ids }
            return results
        }
        #expect(parallel == serial)
    }
}
