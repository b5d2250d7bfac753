/// Reads typed values out of YAML nodes, collecting a diagnostic for every problem
/// instead of stopping at the first. Used by the workflow and plugin-manifest decoders.
public final class NodeReader {
    /// Every problem found so far, in the order found.
    public private(set) var diagnostics: [Diagnostic] = []
    /// The file being read, so scalar origins can find block indentation.
    public let source: SourceFile?

    public init(source: SourceFile?) { self.source = source }

    /// Records a diagnostic.
    public func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// A mapping's entries by key, after reporting keys outside `allowed` (with a "did you
    /// mean" note) and keys that are not plain strings. Nil (and a diagnostic) when `node`
    /// is not a mapping. `what` names the mapping in messages, e.g. "stage 'solve'".
    /// `hints` gives a better note than "did you mean" for keys that are known mistakes
    /// (a stage's `temperature` belongs under `generation:`).
    public func mapping(_ node: YAMLNode, _ what: String, allowed: [String]? = nil, hints: [String: String] = [:]) -> KeyedNodes? {
        guard let pairs = node.mapping else {
            typeMismatch(node, what, expected: "a mapping")
            return nil
        }
        var keyed = KeyedNodes(location: node.location)
        for pair in pairs {
            guard let key = pair.key.scalar, !key.isNull || key.style != .plain else {
                report(.error(.typeMismatch, "keys in \(what) must be plain names, got \(pair.key.kindDescription)", at: pair.key.location))
                continue
            }
            if let allowed, !allowed.contains(key.text) {
                var notes: [Diagnostic.Note] = []
                var fix: Diagnostic.FixIt?
                if let hint = hints[key.text] {
                    notes.append(.init(hint))
                } else if let guess = EditDistance.suggestion(for: key.text, among: allowed) {
                    notes.append(.init("did you mean '\(guess)'?"))
                    fix = .init(replacement: guess)
                } else {
                    notes.append(.init("allowed keys: \(allowed.joined(separator: ", "))"))
                }
                report(.error(.unknownKey, "unknown key '\(key.text)' in \(what)", at: pair.key.location, notes: notes, fixIt: fix))
                continue
            }
            keyed.entries.append((key.text, pair.key, pair.value))
        }
        return keyed
    }

    /// Reports that `node` is not what `what` must be.
    public func typeMismatch(_ node: YAMLNode, _ what: String, expected: String) {
        let got: String
        if let s = node.scalar, !s.isNull { got = "'\(s.text)'" } else { got = node.kindDescription }
        report(.error(.typeMismatch, "\(what) must be \(expected), got \(got)", at: node.location))
    }

    /// A non-null scalar's text (numbers and booleans are taken as written).
    public func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar, !s.isNull else {
            typeMismatch(node, what, expected: "a string")
            return nil
        }
        return s.text
    }

    /// A string with its location.
    public func located(_ node: YAMLNode, _ what: String) -> Located<String>? {
        string(node, what).map { Located($0, at: node.location) }
    }

    /// A string with the origin that maps positions inside it back to the file.
    public func textSource(_ node: YAMLNode, _ what: String) -> TextSource? {
        guard let text = string(node, what) else { return nil }
        return TextSource(text: text, origin: ScalarOrigin(node: node, source: source), location: node.location)
    }

    /// An integer within `range`.
    public func int(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard let n = node.scalar?.number, n == n.rounded(), abs(n) < 1e15 else {
            typeMismatch(node, what, expected: "an integer")
            return nil
        }
        let value = Int(n)
        if let range, !range.contains(value) {
            report(.error(.outOfRange, "\(what) must be \(Self.describe(range)), got \(value)", at: node.location))
            return nil
        }
        return value
    }

    /// A number accepted by `isValid`, whose rule `rule` is stated in the message ("at least 0").
    public func double(_ node: YAMLNode, _ what: String, rule: String? = nil, _ isValid: (Double) -> Bool = { _ in true }) -> Double? {
        guard let n = node.scalar?.number, n.isFinite else {
            typeMismatch(node, what, expected: "a number")
            return nil
        }
        guard isValid(n) else {
            report(.error(.outOfRange, "\(what) must be \(rule ?? "in range"), got \(JSONValue.format(n))", at: node.location))
            return nil
        }
        return n
    }

    /// `true` or `false`.
    public func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let b = node.scalar?.bool else {
            typeMismatch(node, what, expected: "true or false")
            return nil
        }
        return b
    }

    /// A duration such as `250ms`, `2s`, `1m`.
    public func duration(_ node: YAMLNode, _ what: String) -> Duration? {
        guard let text = node.scalar?.text, let d = Duration.parseWorkflowDuration(text) else {
            typeMismatch(node, what, expected: "a duration such as 250ms, 2s or 1m")
            return nil
        }
        return d
    }

    /// One of `options`, with a "did you mean" note otherwise.
    public func choice(_ node: YAMLNode, _ what: String, among options: [String]) -> String? {
        guard let text = string(node, what) else { return nil }
        guard options.contains(text) else {
            let guess = EditDistance.suggestion(for: text, among: options)
            report(.error(.invalidValue, "\(what) must be one of \(options.joined(separator: ", ")), got '\(text)'",
                          at: node.location, notes: guess.map { [.init("did you mean '\($0)'?")] } ?? [],
                          fixIt: guess.map { .init(replacement: $0) }))
            return nil
        }
        return text
    }

    /// A list of strings; a single scalar counts as a list of one.
    public func stringList(_ node: YAMLNode, _ what: String) -> [Located<String>]? {
        if let s = node.scalar, !s.isNull { return [Located(s.text, at: node.location)] }
        guard let items = node.sequence else {
            typeMismatch(node, what, expected: "a list of strings")
            return nil
        }
        return items.compactMap { located($0, "each item of \(what)") }
    }

    /// The node as a JSON value: plain scalars resolve to null, booleans and numbers.
    public func json(_ node: YAMLNode) -> JSONValue {
        switch node.value {
        case .scalar(let s):
            if s.isNull { return .null }
            if let b = s.bool { return .bool(b) }
            if let n = s.number { return .number(n) }
            return .string(s.text)
        case .sequence(let items): return .array(items.map(json))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key.scalar?.text ?? ""] = json(pair.value) }
            return .object(object)
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}

/// A mapping's accepted entries, in file order.
public struct KeyedNodes {
    public var location: SourceLocation
    public var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []

    /// The value under `key`.
    public subscript(key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }

    /// The key node of `key`, for locating messages about the entry.
    public func keyNode(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.keyNode }

    /// True when `key` is present.
    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
}
