import Foundation

/// `json`: the reply must be exactly one JSON value (RFC 8259), optionally surrounded by
/// whitespace. Any value counts, not only objects: `3`, `"x"`, `true` and `null` pass;
/// an empty reply, `{"a": 1} trailing`, two values in a row, single quotes, unquoted
/// keys and trailing commas fail.
///
/// The syntax is checked by `JSONSyntax`, which says what is wrong and where; a reply
/// that passes it must also parse with `JSONSerialization` (so a later stage can decode
/// it), which additionally rejects numbers too large for a `Double` such as `1e400`.
///
/// Failure: `the reply is not valid JSON: unexpected character 'x' at position 7;
/// expected ',' or '}'`, or `the reply is not valid JSON: it is wrapped in a ``` code
/// block; reply with the JSON only`.
///
/// Fix: offered only for the common Markdown wrapping: a reply that is one ``` block
/// (with or without a language tag such as `json`) whose contents are valid JSON gets
/// those contents. Nothing else is repaired.
public struct JSONValidator: Validator {
    public var id: String { "json" }

    public init() {}

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        guard let problem = Self.problem(in: output) else { return .pass }
        if let inner = Self.fencedContents(output), Self.problem(in: inner) == nil {
            return .fail(message: "the reply is not valid JSON: it is wrapped in a ``` code block; reply with the JSON only", fix: inner)
        }
        return .fail(message: "the reply is not valid JSON: \(problem)", fix: nil)
    }

    /// `nil` when `text` is one JSON value that Foundation can also read.
    static func problem(in text: String) -> String? {
        if let problem = JSONSyntax.problem(in: text) { return problem }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return nil
        } catch {
            return foundationReason(error)
        }
    }

    /// The text between a leading ```` ```lang ```` line and a closing ```` ``` ````.
    static func fencedContents(_ text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.last == "\r" ? $0.dropLast() : $0
        }
        guard lines.count >= 2,
              let first = lines.first?.trimmingCharacters(in: .whitespaces), first.hasPrefix("```"),
              lines.last?.trimmingCharacters(in: .whitespaces) == "```"
        else { return nil }
        let tag = first.dropFirst(3)
        guard tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        lines.removeFirst()
        lines.removeLast()
        let inner = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return inner.isEmpty ? nil : inner
    }

    /// Foundation's reason, as a lower-case clause without the final period.
    private static func foundationReason(_ error: any Error) -> String {
        let ns = error as NSError
        var text = (ns.userInfo["NSDebugDescription"] as? String) ?? ns.localizedDescription
        if text.hasSuffix(".") { text.removeLast() }
        guard let first = text.first else { return "it cannot be read" }
        return first.lowercased() + text.dropFirst()
    }
}
