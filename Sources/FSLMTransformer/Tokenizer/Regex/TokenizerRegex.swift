internal import Foundation

/// A pattern from tokenizer.json (a `Split` pre-tokenizer, a `Replace` normalizer or decoder).
/// fslm's own engine (`ScalarRegex`, Oniguruma semantics) reads every pattern the known
/// tokenizers use; anything it refuses goes to NSRegularExpression (ICU), whose `\s` and a few
/// other classes differ slightly from Oniguruma's.
enum TokenizerRegex: Sendable {
    case native(ScalarRegex)
    case foundation(FoundationRegex)

    /// Compiles `pattern`; the error names the file and field.
    static func compile(_ pattern: String, field: JSONField) throws(TokenizerError) -> TokenizerRegex {
        do {
            return .native(try ScalarRegex(pattern))
        } catch {
            if let regex = FoundationRegex(pattern) { return .foundation(regex) }
            throw field.error("invalid regular expression '\(pattern)': \(error.message)")
        }
    }

    static func literal(_ text: String) -> TokenizerRegex {
        .native(ScalarRegex(literal: Array(text.unicodeScalars)))
    }

    /// Non-overlapping matches as ranges of scalar indices.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case .native(let regex): regex.matches(in: text)
        case .foundation(let regex): regex.matches(in: text)
        }
    }
}

/// NSRegularExpression over scalars: UTF-16 ranges mapped back to scalar indices.
final class FoundationRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe.
    private let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: []) else { return nil }
        self.regex = regex
    }

    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        let string = text.string
        // utf16 offset -> scalar index
        var scalarIndexAt: [Int] = []
        scalarIndexAt.reserveCapacity(text.count + 1)
        for (index, scalar) in text.enumerated() {
            scalarIndexAt.append(index)
            if scalar.value > 0xFFFF { scalarIndexAt.append(index) }
        }
        scalarIndexAt.append(text.count)
        let range = NSRange(location: 0, length: scalarIndexAt.count - 1)
        return regex.matches(in: string, options: [], range: range).map { match in
            scalarIndexAt[match.range.location]..<scalarIndexAt[match.range.location + match.range.length]
        }
    }
}
