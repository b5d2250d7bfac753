internal import Foundation

extension OutputConstraint {
    /// Checks a finished `text` against the constraint, for backends that can only produce a
    /// text that satisfies it (or fail): throws `InferenceError(.constraint)` naming the text and
    /// what it broke, or `InferenceError(.unsupported)` for a regex that does not compile.
    func check(_ text: String) throws {
        switch self {
        case .choices(let choices):
            guard !Self.isChoice(text, of: choices) else { return }
            let list = choices.map { "'\($0)'" }.joined(separator: ", ")
            throw InferenceError(.constraint, "reply '\(text)' is not one of the choices \(list)")
        case .regex(let pattern):
            let expression: NSRegularExpression
            do {
                // Whole-text match: \A and \z, unlike ^ and $, ignore line breaks.
                expression = try NSRegularExpression(pattern: "\\A(?:\(pattern))\\z")
            } catch {
                throw InferenceError(.unsupported, "constraint regex '\(pattern)' is not a valid regular expression")
            }
            let range = NSRange(text.startIndex..., in: text)
            guard expression.firstMatch(in: text, range: range) == nil else { return }
            throw InferenceError(.constraint, "reply '\(text)' does not match the constraint regex '\(pattern)'")
        case .json:
            let valid = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
            guard !valid else { return }
            throw InferenceError(.constraint, "reply '\(text)' is not one JSON value")
        }
    }
}
