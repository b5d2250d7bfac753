public import FSLMWorkflow
import Foundation

/// Binds the values a user gave (`--input k=v`, an inputs JSON file) to a workflow's
/// declared inputs: converts `k=v` text to the declared type, fills defaults, and lists
/// what is missing, mistyped or unknown.
public struct InputBinder: Sendable {
    public let inputs: [InputSpec]

    public init(inputs: [InputSpec]) { self.inputs = inputs }

    /// The bound values and every problem found.
    public struct Binding: Sendable {
        public var values: [String: JSONValue] = [:]
        /// Required inputs with no value and no default.
        public var missing: [String] = []
        /// Values that do not have the declared type, with the reason.
        public var mistyped: [(name: String, reason: String)] = []
        /// Names given that the workflow does not declare.
        public var unknown: [String] = []

        /// True when nothing is missing, mistyped or unknown.
        public var isComplete: Bool { missing.isEmpty && mistyped.isEmpty && unknown.isEmpty }

        /// One line per problem, for messages.
        public var problems: [String] {
            missing.map { "missing input '\($0)'" } + mistyped.map { "input '\($0.name)': \($0.reason)" }
                + unknown.map { "unknown input '\($0)'" }
        }
    }

    /// Binds `file` values (typed JSON) first, then `pairs` (text from `--input`), which win.
    public func bind(pairs: [(String, String)], file: [String: JSONValue] = [:]) -> Binding {
        var binding = Binding()
        var given: [String: JSONValue] = file
        for (name, text) in pairs {
            guard let spec = inputs.first(where: { $0.name == name }) else {
                given[name] = .string(text)
                continue
            }
            switch Self.convert(text, to: spec.type) {
            case .success(let value): given[name] = value
            case .failure(let reason): binding.mistyped.append((name, reason.message))
            }
        }
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let spec = inputs.first(where: { $0.name == name }) else {
                binding.unknown.append(name)
                continue
            }
            if spec.accepts(value) {
                binding.values[name] = value
            } else {
                binding.mistyped.append((name, "expected a \(spec.type.rawValue), got \(Self.describe(value))"))
            }
        }
        for spec in inputs where binding.values[spec.name] == nil && !binding.mistyped.contains(where: { $0.name == spec.name }) {
            if let value = spec.defaultValue {
                binding.values[spec.name] = value
            } else if spec.required {
                binding.missing.append(spec.name)
            }
        }
        return binding
    }

    struct ConversionError: Error { var message: String }

    /// Text from the command line as the declared type: numbers, `true`/`false`, and
    /// lists as a JSON array or comma-separated items.
    static func convert(_ text: String, to type: InputSpec.ValueType) -> Result<JSONValue, ConversionError> {
        switch type {
        case .string:
            return .success(.string(text))
        case .number:
            guard let n = Double(text.trimmingCharacters(in: .whitespaces)), n.isFinite else {
                return .failure(ConversionError(message: "expected a number, got '\(text)'"))
            }
            return .success(.number(n))
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .success(.bool(true))
            case "false", "no", "0": return .success(.bool(false))
            default: return .failure(ConversionError(message: "expected true or false, got '\(text)'"))
            }
        case .list:
            if text.hasPrefix("["), let data = text.data(using: .utf8),
                let value = try? JSONDecoder().decode(JSONValue.self, from: data), case .array = value
            {
                return .success(value)
            }
            let items = text.split(separator: ",").map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) }
            return .success(.array(items))
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
