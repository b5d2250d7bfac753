internal import Foundation

/// A parsed JSON value. Objects keep their members in file order with their keys exactly as
/// written: a `[String: …]` dictionary would merge canonically equivalent keys (Swift compares
/// strings by canonical equivalence), and vocabularies can hold both "é" and "e\u{301}".
enum TokenizerJSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TokenizerJSONValue])
    case object([(key: String, value: TokenizerJSONValue)])

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
}

/// A JSON value with where it sits (file and field path), so every problem names both.
struct JSONField: Sendable {
    let value: TokenizerJSONValue
    /// The file, for messages.
    let path: String
    /// The field's JSON path: `model.merges[3]`.
    let field: String

    func error(_ message: String) -> TokenizerError {
        TokenizerError(path: path, field: field, message: message)
    }

    func child(_ key: String, _ value: TokenizerJSONValue) -> JSONField {
        JSONField(value: value, path: path, field: field.isEmpty ? key : "\(field).\(key)")
    }

    var isNull: Bool { if case .null = value { true } else { false } }

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

/// A small, strict JSON parser over UTF-8 bytes (RFC 8259).
struct TokenizerJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private let path: String

    static func parse(_ data: Data, path: String) throws(TokenizerError) -> JSONField {
        var parser = TokenizerJSONParser(bytes: [UInt8](data), path: path)
        parser.skipSpace()
        let value = try parser.parseValue(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return JSONField(value: value, path: path, field: "")
    }

    private init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func failure(_ message: String) -> TokenizerError {
        // Line and column of `index`, for the message.
        var line = 1, column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return TokenizerError(path: path, field: "", message: "invalid JSON at line \(line), column \(column): \(message)")
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(TokenizerError) -> TokenizerJSONValue {
        guard depth < 512 else { throw failure("nesting deeper than 512") }
        guard index < bytes.count else { throw failure("unexpected end of file") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, value: TokenizerJSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = try parseString()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                index += 1
                skipSpace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of file in an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [TokenizerJSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of file in an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw failure("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null"); return .null
        default:
            return try parseNumber()
        }
    }

    private mutating func expectWord(_ word: String) throws(TokenizerError) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw failure("unexpected character") }
            index += 1
        }
    }

    private mutating func parseNumber() throws(TokenizerError) -> TokenizerJSONValue {
        let start = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 { index += 1; continue }
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                isInteger = false; index += 1; continue
            }
            break
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int(text) { return .int(value) }
        guard !text.isEmpty, let value = Double(text) else {
            index = start
            throw failure(text.isEmpty ? "unexpected character" : "invalid number '\(text)'")
        }
        return .double(value)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    private mutating func parseHex4() throws(TokenizerError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(bytes[index]) else { throw failure("invalid \\u escape") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseString() throws(TokenizerError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in a string") }
            index += 1
        }
        var out = [UInt8](bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte < 0x20 { throw failure("control character in a string") }
            if byte != UInt8(ascii: "\\") { out.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if code >= 0xD800 && code < 0xDC00 {
                    // A high surrogate must be followed by a low one.
                    if index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try parseHex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                            code = 0xFFFD
                        }
                    } else {
                        code = 0xFFFD
                    }
                } else if code >= 0xDC00 && code < 0xE000 {
                    code = 0xFFFD
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
            default:
                throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
        throw failure("unterminated string")
    }
}
