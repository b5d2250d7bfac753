internal import Foundation

/// A JSON value with where it sits (file and field path), so every problem names both.
struct JSONField: Sendable {
    let value: JSONValue
    /// The file, for messages.
    let path: String
    /// The field's JSON path: `model.merges[3]`.
    let field: String

    /// Parses a tokenizer file (`JSONParser` with byte-exact keys, nesting up to 512); a syntax
    /// error names its line and column.
    static func parse(_ data: Data, path: String) throws(TokenizerError) -> JSONField {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try JSONParser.parse(bytes, maxDepth: 512, keys: .exact) }
        }
        switch result {
        case .success(let value):
            return JSONField(value: value, path: path, field: "")
        case .failure(let error):
            var line = 1, column = 1
            for byte in data.prefix(error.offset) {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            throw TokenizerError(path: path, field: "", message: "invalid JSON at line \(line), column \(column): \(error.problem)")
        }
    }

    func error(_ message: String) -> TokenizerError {
        TokenizerError(path: path, field: field, message: message)
    }

    func child(_ key: String, _ value: JSONValue) -> JSONField {
        JSONField(value: value, path: path, field: field.isEmpty ? key : "\(field).\(key)")
    }

    var isNull: Bool { value.isNull }

    /// The member `key`, or nil when absent or null.
    subscript(key: String) -> JSONField? {
        guard case .object(let members) = value else { return nil }
        for member in members where member.key == key {
            if case .null = member.value { return nil }
            return child(key, member.value)
        }
        return nil
    }

    /// The member `key`; absent or null is an error.
    func required(_ key: String) throws(TokenizerError) -> JSONField {
        guard case .object = value else { throw error("expected an object, found \(value.typeName)") }
        guard let member = self[key] else { throw child(key, .null).error("missing (required)") }
        return member
    }

    func members() throws(TokenizerError) -> [(key: String, value: JSONField)] {
        guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
        return members.map { ($0.key, child($0.key, $0.value)) }
    }

    func elements() throws(TokenizerError) -> [JSONField] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.typeName)") }
        return items.enumerated().map { JSONField(value: $1, path: path, field: "\(field)[\($0)]") }
    }

    func string() throws(TokenizerError) -> String {
        guard case .string(let s) = value else { throw error("expected a string, found \(value.typeName)") }
        return s
    }

    func int() throws(TokenizerError) -> Int {
        switch value {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: throw error("expected an integer, found \(value.typeName)")
        }
    }

    func double() throws(TokenizerError) -> Double {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw error("expected a number, found \(value.typeName)")
        }
    }

    func bool() throws(TokenizerError) -> Bool {
        guard case .bool(let b) = value else { throw error("expected true or false, found \(value.typeName)") }
        return b
    }

    // Optional members with defaults.
    func string(_ key: String) throws(TokenizerError) -> String? { try self[key]?.string() }
    func int(_ key: String) throws(TokenizerError) -> Int? { try self[key]?.int() }
    func bool(_ key: String, default fallback: Bool) throws(TokenizerError) -> Bool { try self[key]?.bool() ?? fallback }

    /// The component's `type`, checked against the types fslm implements.
    func type(of component: String, known: [String]) throws(TokenizerError) -> String {
        let typeField = try required("type")
        let type = try typeField.string()
        guard known.contains(type) else {
            throw typeField.error("unknown \(component) type '\(type)' (fslm implements: \(known.joined(separator: ", ")))")
        }
        return type
    }
}
