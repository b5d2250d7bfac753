import Foundation

/// How an output is compared with its expected value.
public enum EvalMetric: String, Sendable, Hashable, CaseIterable, Codable {
    /// Equal after trimming whitespace and newlines from both.
    case exact
    /// The output contains the expected text, as written (case-sensitive).
    case contains
    /// The last number in the output equals the expected number (see `EvalNumber`).
    case number

    /// Whether `output` meets `expected`. Under `number`, an expected value that is not a
    /// number never matches (cases files are checked for that before a run).
    public func matches(_ output: String, expected: String) -> Bool {
        switch self {
        case .exact:
            output.trimmingCharacters(in: .whitespacesAndNewlines) == expected.trimmingCharacters(in: .whitespacesAndNewlines)
        case .contains:
            output.contains(expected)
        case .number:
            if let want = EvalNumber.parse(expected), let got = EvalNumber.last(in: output) { got == want } else { false }
        }
    }
}

/// Numbers as `number` reads them: an optional `-`, digits, optional thousands groups
/// (`1,000`, `12,345,678`: a comma followed by exactly three digits), and an optional
/// fraction (`2.5`). So in "It costs 1,000." the number is 1000, and "8." ends a sentence.
/// A `-` is a sign only when no letter or digit comes right before it ("5-3" holds 5 and 3,
/// "x = -3" holds -3). Exponents, `+` signs and other scripts' digits are not read.
public enum EvalNumber {
    /// The value of `text` when it is one number (surrounding whitespace allowed).
    public static func parse(_ text: String) -> Double? {
        let scalars = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars)
        guard let (value, end) = number(in: scalars, at: 0), end == scalars.count else { return nil }
        return value
    }

    /// The value of the last number in `text`, or nil when there is none.
    public static func last(in text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var last: Double?
        while index < scalars.count {
            if let (value, end) = number(in: scalars, at: index) {
                last = value
                index = end
            } else {
                index += 1
            }
        }
        return last
    }

    /// The number starting exactly at `start` (its sign or first digit), and the index after it.
    private static func number(in s: [Unicode.Scalar], at start: Int) -> (Double, Int)? {
        guard start < s.count, start == 0 || !isDigit(s[start - 1]) else { return nil }
        var i = start
        var text = ""
        if s[i] == "-" {
            guard start == 0 || !s[start - 1].properties.isAlphabetic else { return nil }
            text = "-"
            i += 1
        }
        guard i < s.count, isDigit(s[i]) else { return nil }
        func digits() {
            while i < s.count, isDigit(s[i]) {
                text.unicodeScalars.append(s[i])
                i += 1
            }
        }
        digits()
        // Thousands groups: a comma, three digits, and no fourth.
        while i + 3 < s.count, s[i] == ",", (i + 1...i + 3).allSatisfy({ isDigit(s[$0]) }), i + 4 == s.count || !isDigit(s[i + 4]) {
            text.unicodeScalars.append(contentsOf: s[i + 1...i + 3])
            i += 4
        }
        if i + 1 < s.count, s[i] == ".", isDigit(s[i + 1]) {
            text.append(".")
            i += 1
            digits()
        }
        return Double(text).map { ($0, i) }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
