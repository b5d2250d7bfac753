import Foundation

/// `${env.NAME}` in a workflow string stands for the environment variable NAME, read when
/// the value is used (a model's `base_url`, `path`), not when the file is loaded, so a
/// workflow can be validated on a machine that does not have the variable.
public enum EnvironmentExpansion {
    /// A `${env.NAME}` whose variable is not set.
    public struct UnsetVariable: Error, Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public init(name: String) { self.name = name }
        public var description: String { "environment variable '\(name)' is not set (used as ${env.\(name)})" }
    }

    /// `text` with every `${env.NAME}` replaced by the variable's value.
    public static func expand(_ text: String, environment: [String: String]) throws(UnsetVariable) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${env.") {
            out += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(afterOpen[..<close])
            guard isName(name) else {
                out += rest[open.lowerBound...close]
                rest = afterOpen[afterOpen.index(after: close)...]
                continue
            }
            guard let value = environment[name] else { throw UnsetVariable(name: name) }
            out += value
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return out + rest
    }

    /// The variable names `text` refers to, in order.
    public static func variables(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${env."), let close = rest[open.upperBound...].firstIndex(of: "}") {
            let name = String(rest[open.upperBound..<close])
            if isName(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Letters, digits and `_`, not starting with a digit.
    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
