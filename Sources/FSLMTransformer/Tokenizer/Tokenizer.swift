public import Foundation

/// A Hugging Face tokenizer read from `tokenizer.json`, giving the ids the Rust `tokenizers`
/// library gives.
///
/// Encoding runs the reference pipeline: added tokens are taken out of the raw text (those
/// with `normalized: false`), the rest is normalized and searched again for added tokens
/// (`normalized: true`), each remaining stretch is pre-tokenized into pieces, each piece is
/// byte-pair encoded, and the post-processor adds special tokens when asked. Decoding maps ids
/// to token strings (added tokens first) and runs the decoder.
///
/// Immutable apart from an internal, locked cache: share one instance across threads.
public final class Tokenizer: Sendable {
    /// Where the tokenizer was read from (for messages).
    public let path: String
    let normalizer: (any Normalizer)?
    let preTokenizer: (any PreTokenizer)?
    let model: BPEModel
    let added: AddedVocabulary
    let postProcessor: (any PostProcessor)?
    let decoder: (any TokenDecoder)?
    /// The decoder is exactly `ByteLevel`: a token's bytes are known alone, and streaming can
    /// work on bytes.
    let decodesBytes: Bool
    /// The decoder chain reads `<0xXX>` tokens as bytes.
    let decodesByteFallback: Bool
    /// Contents of special added tokens: skipped by `decode(_:skipSpecialTokens: true)`.
    private let specialContents: Set<ByteString>
    private let addedIDs: [ByteString: Int]

    /// The number of distinct tokens: the model's vocabulary plus the added tokens it lacks
    /// (the Rust library's `get_vocab_size(with_added_tokens: true)`). Ids run below
    /// `maxTokenID + 1`, which is what embedding tables are sized by.
    public let vocabularySize: Int
    /// The largest id the tokenizer can produce or decode.
    public let maxTokenID: Int
    /// The beginning-of-text token: `bos_token` of a `tokenizer_config.json` beside the file,
    /// else the first special token of the post-processor's template, else a well-known name
    /// (`<|begin_of_text|>`, `<s>`, `<|startoftext|>`, `<bos>`, `<|endoftext|>`).
    public let bosTokenID: Int?
    /// The end-of-text token: `eos_token` of a `tokenizer_config.json` beside the file, else a
    /// well-known name (`<|end_of_text|>`, `</s>`, `<eos>`, `<|endoftext|>`).
    public let eosTokenID: Int?

    /// Reads `tokenizer.json` at `url`, and `tokenizer_config.json` beside it when present (for
    /// the BOS and EOS tokens).
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(path: url.path, field: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        var bos: String?, eos: String?
        let configURL = url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        if let configData = try? Data(contentsOf: configURL) {
            let config = try JSONField.parse(configData, path: configURL.path)
            func tokenName(_ key: String) throws(TokenizerError) -> String? {
                guard let field = config[key] else { return nil }
                if case .string(let name) = field.value { return name }
                return try field["content"]?.string()
            }
            bos = try tokenName("bos_token")
            eos = try tokenName("eos_token")
        }
        try self.init(json: data, path: url.path, bosToken: bos, eosToken: eos)
    }

    /// Reads a `tokenizer.json` document; `path` names it in errors. `bosToken` and `eosToken`
    /// (token strings, as in `tokenizer_config.json`) override the guesses.
    public init(json data: Data, path: String, bosToken: String? = nil, eosToken: String? = nil) throws {
        self.path = path
        let root = try JSONField.parse(data, path: path)
        guard case .object = root.value else { throw root.error("expected a JSON object at the top level") }
        let normalizer = try root["normalizer"].map { f throws(TokenizerError) in try NormalizerFactory.make(f) }
        let model = try BPEModel(root.required("model"))
        let postProcessor = try root["post_processor"].map { f throws(TokenizerError) in try PostProcessorFactory.make(f) }
        let decoder = try root["decoder"].map { f throws(TokenizerError) in try TokenDecoderFactory.make(f) }
        var addedTokens: [AddedToken] = []
        for item in try root["added_tokens"]?.elements() ?? [] { addedTokens.append(try AddedToken(item)) }
        self.normalizer = normalizer
        self.preTokenizer = try root["pre_tokenizer"].map { f throws(TokenizerError) in try PreTokenizerFactory.make(f) }
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        added = AddedVocabulary(addedTokens, normalizer: normalizer)

        func steps(_ decoder: any TokenDecoder) -> [any TokenDecoder] {
            if let sequence = decoder as? SequenceDecoder { return sequence.decoders.flatMap(steps) }
            return [decoder]
        }
        let decoderSteps = decoder.map(steps) ?? []
        decodesBytes = decoderSteps.count == 1 && decoderSteps[0] is ByteLevelDecoder
        decodesByteFallback = decoderSteps.contains { $0 is ByteFallbackDecoder }
        specialContents = Set(addedTokens.filter(\.special).map { ByteString($0.content) })
        var addedIDs: [ByteString: Int] = [:]
        for token in addedTokens where addedIDs[ByteString(token.content)] == nil { addedIDs[ByteString(token.content)] = token.id }
        self.addedIDs = addedIDs
        vocabularySize = model.vocabularyCount + addedIDs.keys.filter { model.tokenToID[$0] == nil }.count
        maxTokenID = max(model.idToToken.count - 1, addedTokens.map(\.id).max() ?? -1)

        // A named token this tokenizer lacks falls back to the guesses.
        func resolve(_ name: String?) -> Int? {
            name.flatMap { addedIDs[ByteString($0)] ?? model.id(of: $0) }
        }
        func known(_ names: [String]) -> Int? {
            for name in names { if let id = addedIDs[ByteString(name)] { return id } }
            return nil
        }
        let templateBOS = Self.templates(postProcessor).lazy.compactMap(\.leadingSpecialIDs.first).first
        bosTokenID = resolve(bosToken) ?? templateBOS
            ?? known(["<|begin_of_text|>", "<s>", "<|startoftext|>", "<bos>", "<|endoftext|>"])
        eosTokenID = resolve(eosToken) ?? known(["<|end_of_text|>", "</s>", "<eos>", "<|endoftext|>"])
    }

    private static func templates(_ processor: (any PostProcessor)?) -> [TemplatePostProcessor] {
        switch processor {
        case let template as TemplatePostProcessor: [template]
        case let sequence as SequencePostProcessor: sequence.processors.flatMap { templates($0) }
        default: []
        }
    }

    // MARK: Encoding

    /// The ids of `text`; with `addSpecialTokens`, the post-processor's special tokens too
    /// (a BOS for Llama 3 and SmolLM2; nothing for GPT-2 and GPT-NeoX).
    public func encode(_ text: String, addSpecialTokens: Bool = false) -> [Int] {
        var ids: [Int] = []
        for segment in added.extractAndNormalize(Array(text.unicodeScalars), normalizer: normalizer) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let piece):
                if let preTokenizer {
                    for word in preTokenizer.split(piece) { ids.append(contentsOf: model.tokenize(word.scalars)) }
                } else {
                    ids.append(contentsOf: model.tokenize(piece.scalars))
                }
            }
        }
        return postProcessor?.process(ids, addSpecialTokens: addSpecialTokens) ?? ids
    }

    // MARK: Decoding

    /// The text of `ids`. Ids that are no token are skipped, as in the Rust library; with
    /// `skipSpecialTokens`, so are special tokens.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard let token = tokenString(id) else { continue }
            if skipSpecialTokens && isSpecial(token) { continue }
            tokens.append(token)
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decodeChain(tokens).joined()
    }

    private func isSpecial(_ token: String) -> Bool {
        !specialContents.isEmpty && specialContents.contains(ByteString(token))
    }

    /// Whether `id` is a special added token (skipped by `skipSpecialTokens`).
    public func isSpecialToken(_ id: Int) -> Bool {
        tokenString(id).map(isSpecial) ?? false
    }

    /// The vocabulary string of `id` (byte-level form for GPT-2-style tokenizers, `Ġhello`),
    /// the added token's content for added tokens; nil for ids that are no token.
    public func tokenString(_ id: Int) -> String? {
        if let token = added.byID[id] { return token.content }
        return model.token(of: id)
    }

    /// The bytes `id` stands for in the middle of a text (`Ġhello` → " hello"; `<0x0A>` →
    /// "\n" with byte fallback; `▁hello` → " hello" for SentencePiece-style decoders). A token
    /// can be part of a UTF-8 sequence. Nil for ids that are no token.
    public func tokenBytes(_ id: Int) -> [UInt8]? {
        guard let token = tokenString(id) else { return nil }
        guard let decoder else { return Array(token.utf8) }
        if decodesBytes { return ByteLevelAlphabet.decode(token) }
        if decodesByteFallback, let byte = ByteFallbackDecoder.byte(of: token) { return [byte] }
        return Array(decoder.decodeInside(token).utf8)
    }

    /// The id of the added token (special or not) whose content is exactly `content`.
    public func id(ofSpecial content: String) -> Int? {
        addedIDs[ByteString(content)]
    }

    /// The id of `token`: an added token's content or a vocabulary string.
    public func id(ofToken token: String) -> Int? {
        addedIDs[ByteString(token)] ?? model.id(of: token)
    }

    /// A decoder that turns ids into text one at a time.
    public func streamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}
