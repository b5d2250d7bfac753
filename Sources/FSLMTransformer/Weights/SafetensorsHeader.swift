import Foundation

/// One tensor as a safetensors header describes it, checked against the file.
struct SafetensorsEntry: Sendable, Hashable {
    var name: String
    /// The dtype as written (`F32`, `I64`, `BOOL`...).
    var dtypeName: String
    /// The dtype when fslm reads it; nil for the others (their bytes are checked but not served).
    var dtype: DType?
    var shape: [Int]
    /// Byte range inside the data section (after the header).
    var begin: Int
    var end: Int
}

/// The parsed and validated header of a safetensors file:
/// `[u64 little-endian header length N][N bytes of UTF-8 JSON][data section]`, the JSON an
/// object mapping tensor names to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the
/// data section) plus an optional `__metadata__` string map. Every check is made before any
/// tensor byte is touched: sizes match shapes, ranges stay inside the data section, and the
/// ranges tile it (no overlap, no hole), as the format requires.
struct SafetensorsHeader: Sendable {
    /// Headers larger than this are refused (the reference implementation's limit).
    static let maxHeaderLength = 100_000_000

    /// Bytes per element of every dtype the format defines; only `DType`'s are served.
    static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "I64": 8, "U64": 8, "F64": 8, "C64": 8,
    ]

    /// Offset of the data section from the start of the file.
    var dataStart: Int
    var entries: [String: SafetensorsEntry]
    var metadata: [String: String]

    /// Parses and checks the header of the file whose bytes are `file` (named `fileName` in errors).
    init(_ file: UnsafeRawBufferPointer, fileName: String) throws {
        func fail(_ problem: String, _ tensor: String? = nil) -> SafetensorsError {
            SafetensorsError(file: fileName, tensor: tensor, problem)
        }
        let size = file.count
        try Self.checkFileSize(size, fileName: fileName)
        let declared = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderLength) else {
            throw fail("header length \(declared) is over the \(Self.maxHeaderLength)-byte limit; is this a safetensors file?")
        }
        let headerLength = Int(declared)
        guard headerLength <= size - 8 else {
            throw fail("header length \(headerLength) runs past the end of the file (\(size) bytes); the file is truncated or not safetensors")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<(8 + headerLength)])
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw fail("header is not valid UTF-8") }
        let json: JSONValue
        do {
            json = try JSONParser.parse(headerBytes)
        } catch {
            throw fail("header is not valid JSON (\(error))")
        }
        guard let object = json.dictionary else { throw fail("header is \(json.brief), not a JSON object") }

        dataStart = 8 + headerLength
        let dataSize = size - dataStart
        metadata = [:]
        entries = [:]
        for name in object.keys.sorted() {  // sorted: the same file always reports the same error
            let value = object[name]!
            if name == "__metadata__" {
                guard case .object(let pairs) = value else { throw fail("__metadata__ is \(value.brief), not an object of strings") }
                for (key, item) in pairs {
                    guard case .string(let text) = item else { throw fail("__metadata__ '\(key)' is \(item.brief), not a string") }
                    metadata[key] = text
                }
                continue
            }
            let entry = try Self.entry(name, value, dataSize: dataSize, fail: fail)
            entries[name] = entry
        }
        try Self.checkTiling(entries.values, dataSize: dataSize, fail: fail)
    }

    /// A file too small to hold the 8-byte header length is an error (checked before mapping).
    static func checkFileSize(_ size: Int, fileName: String) throws {
        guard size > 0 else {
            throw SafetensorsError(file: fileName, "empty file (0 bytes); a safetensors file starts with an 8-byte header length")
        }
        guard size >= 8 else {
            throw SafetensorsError(file: fileName, "file is \(size) bytes, too short for the 8-byte header length")
        }
    }

    /// Reads and checks one tensor description.
    private static func entry(
        _ name: String, _ value: JSONValue, dataSize: Int, fail: (String, String?) -> SafetensorsError
    ) throws -> SafetensorsEntry {
        guard let fields = value.dictionary else { throw fail("tensor '\(name)' is \(value.brief), not an object", name) }
        guard case .string(let dtypeName)? = fields["dtype"] else {
            throw fail("tensor '\(name)' has no string 'dtype' (\(fields["dtype"]?.brief ?? "absent"))", name)
        }
        guard let elementSize = elementSizes[dtypeName] else {
            throw fail("tensor '\(name)' has unknown dtype '\(dtypeName)'", name)
        }
        let dims: [JSONValue]
        if case .array(let list)? = fields["shape"] { dims = list } else { dims = [.null] }
        let shape = dims.compactMap(\.intValue)
        guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("tensor '\(name)' has shape \(fields["shape"]?.brief ?? "absent"), not a list of sizes", name)
        }
        guard case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
            let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, begin <= end
        else {
            throw fail("tensor '\(name)' has data_offsets \(fields["data_offsets"]?.brief ?? "absent"), not [begin, end] with begin <= end", name)
        }
        var bytes = elementSize
        for dim in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail("tensor '\(name)' has shape \(shape), too large to address", name) }
            bytes = product
        }
        guard end - begin == bytes else {
            throw fail("tensor '\(name)' has data_offsets [\(begin), \(end)] but shape \(shape) of \(dtypeName) needs \(bytes) bytes", name)
        }
        guard end <= dataSize else {
            throw fail("tensor '\(name)' has data_offsets [\(begin), \(end)] past the end of the data section (\(dataSize) bytes); the file is truncated or its header is wrong", name)
        }
        return SafetensorsEntry(name: name, dtypeName: dtypeName, dtype: DType(rawValue: dtypeName), shape: shape, begin: begin, end: end)
    }

    /// The non-empty ranges must cover `0..<dataSize` exactly once.
    private static func checkTiling(
        _ entries: some Collection<SafetensorsEntry>, dataSize: Int, fail: (String, String?) -> SafetensorsError
    ) throws {
        let sorted = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        var cursor = 0
        var previous: SafetensorsEntry?
        for entry in sorted {
            if let previous, entry.begin < cursor {
                throw fail("tensors '\(previous.name)' [\(previous.begin), \(previous.end)] and '\(entry.name)' [\(entry.begin), \(entry.end)] overlap", entry.name)
            }
            if entry.begin > cursor {
                throw fail("bytes [\(cursor), \(entry.begin)] of the data section belong to no tensor (before '\(entry.name)')", entry.name)
            }
            cursor = entry.end
            previous = entry
        }
        if cursor < dataSize {
            throw fail("the data section has \(dataSize - cursor) bytes after the last tensor that belong to no tensor", nil)
        }
    }
}
