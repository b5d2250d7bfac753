import Foundation

/// A parsed JSON value (see `JSONParser`). Objects keep their members in file order with keys
/// exactly as written: a `[String: …]` dictionary merges canonically equivalent keys, and
/// tokenizer vocabularies hold both "é" and "e\u{301}". Integers stay exact (`int`) when they
/// fit in `Int`.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Parses `data` with `JSONParser`'s defaults, which suit `dictionary`.
    static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try JSONParser.parse(bytes) }
        }
        return try result.get()
    }

    var isNull: Bool { if case .null = self { true } else { false } }

    /// An object's members by key, nil for other values. Canonically equivalent keys merge
    /// (the first wins); `JSONParser`'s default `.canonical` keys refuse such documents.
    var dictionary: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return Dictionary(members, uniquingKeysWith: { first, _ in first })
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

    /// What kind of value this is, for messages: "a string", "an object".
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value written compactly (object keys sorted), for messages; long values are cut.
    var brief: String {
        let text: String
        switch self {
        case .null: text = "null"
        case .bool(let b): text = "\(b)"
        case .int(let i): text = "\(i)"
        case .double(let d): text = "\(d)"
        case .string(let s): text = "\"\(s)\""
        case .array(let a): text = "[" + a.map(\.brief).joined(separator: ", ") + "]"
        case .object(let o):
            text = "{" + o.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value.brief)" }.joined(separator: ", ") + "}"
        }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
