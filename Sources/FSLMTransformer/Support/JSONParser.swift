/// A JSON syntax error at a byte offset of the document.
package struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package var offset: Int
    package var problem: String
    package var description: String { "\(problem) at byte \(offset)" }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes. Stricter than Foundation's where it matters
/// for model files: a duplicate key in an object is an error (two readers could otherwise
/// disagree on which entry counts), nesting is bounded (a hostile file cannot exhaust the
/// stack), strings must be valid UTF-8 without unpaired surrogates, and errors say where they are.
/// Package-visible: the evaluation's cases files (JSON lines) are read with it too.
package struct JSONParser {
    /// How keys are compared when looking for duplicates.
    package enum Keys: Sendable {
        /// Byte for byte: "é" and "e\u{301}" are two keys (tokenizer vocabularies hold both).
        case exact
        /// As Swift compares strings: canonically equivalent keys are duplicates too, so that
        /// `JSONValue.dictionary` loses no member.
        case canonical
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private let keys: Keys
    private var index = 0
    private var depth = 0
    /// The decoded bytes of a string with escapes (reused).
    private var buffer: [UInt8] = []

    /// Parses one JSON value filling `bytes` (surrounding whitespace allowed); nesting deeper
    /// than `maxDepth` arrays and objects is refused.
    package static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 128, keys: Keys = .canonical) throws(JSONParseError) -> JSONValue {
        let result = bytes.withMemoryRebound(to: UInt8.self) { bytes in
            Result { () throws(JSONParseError) in
                var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, keys: keys)
                parser.skipWhitespace()
                let value = try parser.value()
                parser.skipWhitespace()
                guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
                return value
            }
        }
        return try result.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, keys: Keys) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.keys = keys
    }

    private func error(_ problem: String) -> JSONParseError { JSONParseError(offset: index, problem: problem) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard current == byte else { throw error(current == nil ? "unexpected end, expected \(what)" : "expected \(what)") }
        index += 1
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw error("unexpected end, expected a value") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth)") }
            depth += 1
            defer { depth -= 1 }
            return try byte == UInt8(ascii: "{") ? object() : array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        for byte in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard current == byte else { throw error("expected a value") }
            index += 1
        }
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        index += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        var seen = SeenKeys(keys)
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error(current == nil ? "unexpected end, expected a key" : "expected a key in quotes") }
            let keyOffset = index
            let key = try string()
            guard seen.insert(key, among: members) else { throw JSONParseError(offset: keyOffset, problem: "duplicate key '\(key)'") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            members.append((key, try value()))
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(members)
        }
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(elements)
        }
    }

    /// A string without escapes is decoded straight from the document.
    private mutating func string() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try text(UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
            case UInt8(ascii: "\\"):
                return try escapedString(from: start)
            case 0..<0x20:
                throw error("control character in a string")
            default:
                index += 1
            }
        }
        throw error("unexpected end inside a string")
    }

    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: bytes[start..<index])
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try buffer.withUnsafeBufferPointer { utf8 throws(JSONParseError) in try text(utf8) }
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                index -= 1
                throw error("control character in a string")
            default:
                buffer.append(byte)
            }
        }
        throw error("unexpected end inside a string")
    }

    private func text(_ utf8: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> String {
        guard let span = try? UTF8Span(validating: utf8.span) else { throw error("string is not valid UTF-8") }
        return String(copying: span)
    }

    private mutating func escape() throws(JSONParseError) {
        guard let byte = current else { throw error("unexpected end inside a string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte); return
        case UInt8(ascii: "b"): buffer.append(0x08); return
        case UInt8(ascii: "f"): buffer.append(0x0C); return
        case UInt8(ascii: "n"): buffer.append(0x0A); return
        case UInt8(ascii: "r"): buffer.append(0x0D); return
        case UInt8(ascii: "t"): buffer.append(0x09); return
        case UInt8(ascii: "u"): break
        default: index -= 2; throw error("invalid escape in a string")
        }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate in a string")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in a string") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("unpaired surrogate in a string") }
        buffer.append(contentsOf: unicode.utf8)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigit(byte) else { throw error("expected 4 hex digits after \\u") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// An integer that fits in `Int` is read exactly (without making a string); other
    /// numbers go through `Double`.
    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        var integral = true
        var magnitude = 0  // minus the integer part so far: Int.min fits
        var fits = true
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            let first = index
            while let byte = current, byte &- UInt8(ascii: "0") < 10 {
                let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.subtractingReportingOverflow(Int(byte &- UInt8(ascii: "0")))
                fits = fits && !overflow && !overflow2
                magnitude = next
                index += 1
            }
            guard index > first else { throw error("expected a digit") }
        }
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard digits() > 0 else { throw error("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        if integral && fits {
            if negative { return .int(magnitude) }
            if magnitude != Int.min { return .int(-magnitude) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text) else { throw JSONParseError(offset: start, problem: "number \(text) out of range") }
        return .double(double)
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = current, byte &- UInt8(ascii: "0") < 10 { index += 1 }
        return index - start
    }
}

/// The keys of one object so far, to find a duplicate: a scan of the members while the object
/// is small, then a hash table (vocabularies have 50,000 members) whose probes read one byte a
/// slot, so that the table stays in cache.
private struct SeenKeys {
    private static let scanLimit = 16
    private let keys: JSONParser.Keys
    /// Each member's key hash, once past `scanLimit`.
    private var hashes: [UInt32] = []
    /// Open addressing, at most half full: 0 when free, else 0x80 | 7 bits of the key's hash.
    private var tags: [UInt8] = []
    /// The member whose key is in each used slot.
    private var indices: [UInt32] = []

    init(_ keys: JSONParser.Keys) { self.keys = keys }

    /// Whether `key` is new among the keys of `members` (those seen so far); it is then remembered.
    mutating func insert(_ key: String, among members: [(key: String, value: JSONValue)]) -> Bool {
        if members.count < Self.scanLimit { return !members.contains { same($0.key, key) } }
        if hashes.isEmpty {
            hashes = members.map { hash($0.key) }
            rebuild()
        }
        let keyHash = hash(key)
        let tag = UInt8(truncatingIfNeeded: keyHash) | 0x80
        let mask = tags.count - 1
        var slot = Int(keyHash >> 7) & mask
        while tags[slot] != 0 {
            if tags[slot] == tag, same(members[Int(indices[slot])].key, key) { return false }
            slot = (slot + 1) & mask
        }
        tags[slot] = tag
        indices[slot] = UInt32(hashes.count)
        hashes.append(keyHash)
        if hashes.count * 2 > tags.count { rebuild() }
        return true
    }

    /// Sizes the table for the members so far (a quarter full) and fills it.
    private mutating func rebuild() {
        var capacity = 64
        while capacity < 4 * hashes.count { capacity *= 2 }
        tags = Array(repeating: 0, count: capacity)
        indices = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, keyHash) in hashes.enumerated() {
            var slot = Int(keyHash >> 7) & mask
            while tags[slot] != 0 { slot = (slot + 1) & mask }
            tags[slot] = UInt8(truncatingIfNeeded: keyHash) | 0x80
            indices[slot] = UInt32(index)
        }
    }

    private func same(_ a: String, _ b: String) -> Bool {
        switch keys {
        case .exact: a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
        case .canonical: a == b
        }
    }

    /// The key's hash (seeded per process), cut to 32 bits.
    private func hash(_ key: String) -> UInt32 {
        guard case .exact = keys else { return UInt32(truncatingIfNeeded: key.hashValue) }
        var hasher = Hasher()
        let hashed: Void? = key.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(key.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }
}
