import Foundation

/// A parsed JSON value, for the small JSON documents a model folder holds (safetensors
/// headers, `config.json`, index files). Integers stay exact (`int`) when they fit in `Int`.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses `data` (see `JSONParser`: strict, duplicate keys rejected).
    static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { try JSONParser.parse($0) }
    }

    /// The value as an exact integer: an `int`, or a `double` with no fraction.
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    /// The value as a number.
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The value written compactly, for error messages (long values are cut).
    var brief: String {
        let text: String
        switch self {
        case .null: text = "null"
        case .bool(let b): text = "\(b)"
        case .int(let i): text = "\(i)"
        case .double(let d): text = "\(d)"
        case .string(let s): text = "\"\(s)\""
        case .array(let a): text = "[" + a.map(\.brief).joined(separator: ", ") + "]"
        case .object(let o): text = "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!.brief)" }.joined(separator: ", ") + "}"
        }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
