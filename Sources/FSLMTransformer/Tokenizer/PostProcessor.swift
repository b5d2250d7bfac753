/// The last encoding stage: adds special tokens around the ids (`post_processor` in
/// tokenizer.json). Only single sequences are encoded, so only `single` templates apply.
protocol PostProcessor: Sendable {
    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int]
}

enum PostProcessorFactory {
    static let known = ["ByteLevel", "TemplateProcessing", "RobertaProcessing", "BertProcessing", "Sequence"]

    static func make(_ field: JSONField) throws(TokenizerError) -> any PostProcessor {
        switch try field.type(of: "post-processor", known: known) {
        case "ByteLevel":
            // Trims offsets only; the ids are untouched.
            return PassThroughPostProcessor()
        case "TemplateProcessing":
            return try TemplatePostProcessor(field)
        case "RobertaProcessing", "BertProcessing":
            func pair(_ key: String) throws(TokenizerError) -> Int {
                let item = try field.required(key)
                let parts = try item.elements()
                guard parts.count == 2 else { throw item.error("expected [token, id]") }
                return try parts[1].int()
            }
            return WrapPostProcessor(before: [try pair("cls")], after: [try pair("sep")])
        default:
            var items: [any PostProcessor] = []
            for item in try field.required("processors").elements() { items.append(try make(item)) }
            return SequencePostProcessor(processors: items)
        }
    }
}

struct PassThroughPostProcessor: PostProcessor {
    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] { ids }
}

/// `<cls> $A <sep>` (RoBERTa, BERT).
struct WrapPostProcessor: PostProcessor {
    let before: [Int]
    let after: [Int]

    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] {
        addSpecialTokens ? before + ids + after : ids
    }
}

/// The `single` template: `$A` (the sequence) and special tokens, each standing for the ids
/// listed under `special_tokens` (Llama 3, SmolLM2: `<|begin_of_text|> $A`).
struct TemplatePostProcessor: PostProcessor {
    enum Piece: Sendable, Equatable {
        case sequence
        case special([Int])
    }
    let single: [Piece]

    init(single: [Piece]) { self.single = single }

    init(_ field: JSONField) throws(TokenizerError) {
        var specials: [String: [Int]] = [:]
        if let specialField = field["special_tokens"] {
            for (name, entry) in try specialField.members() {
                var ids: [Int] = []
                for id in try entry.required("ids").elements() { ids.append(try id.int()) }
                specials[name] = ids
            }
        }
        var pieces: [Piece] = []
        let template = try field.required("single")
        for item in try template.elements() {
            if let sequence = item["Sequence"] {
                let id = try sequence.required("id").string()
                guard id == "A" else { throw sequence.error("a single-sequence template can only use $A, found $\(id)") }
                pieces.append(.sequence)
            } else if let special = item["SpecialToken"] {
                let idField = try special.required("id")
                let name = try idField.string()
                guard let ids = specials[name] else { throw idField.error("'\(name)' is not listed in special_tokens") }
                pieces.append(.special(ids))
            } else {
                throw item.error("expected {\"Sequence\": …} or {\"SpecialToken\": …}")
            }
        }
        single = pieces
    }

    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] {
        guard addSpecialTokens else { return ids }
        var out: [Int] = []
        out.reserveCapacity(ids.count + single.count)
        for piece in single {
            switch piece {
            case .sequence: out.append(contentsOf: ids)
            case .special(let special): out.append(contentsOf: special)
            }
        }
        return out
    }

    /// The ids of the special tokens the template puts before the sequence.
    var leadingSpecialIDs: [Int] {
        var ids: [Int] = []
        for piece in single {
            guard case .special(let special) = piece else { break }
            ids += special
        }
        return ids
    }
}

struct SequencePostProcessor: PostProcessor {
    let processors: [any PostProcessor]

    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] {
        processors.reduce(ids) { $1.process($0, addSpecialTokens: addSpecialTokens) }
    }
}
