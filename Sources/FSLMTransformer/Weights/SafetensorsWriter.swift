public import Foundation

/// Writes a `.safetensors` file: an 8-byte little-endian header length, the JSON header
/// (`dtype`, `shape`, `data_offsets` per tensor, `__metadata__`) padded with spaces to a
/// multiple of 8, then the tensors' bytes in header order. Each tensor's bytes are produced
/// only when written, so a large model never sits in memory twice.
public enum SafetensorsWriter {
    /// One tensor to write.
    public struct Entry {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// The tensor's bytes, little-endian, `shape` elements of `dtype`.
        public var bytes: () throws -> Data

        public init(name: String, dtype: DType, shape: [Int], bytes: @escaping () throws -> Data) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        var byteCount: Int { shape.reduce(1, *) * dtype.byteSize }
    }

    /// Writes `entries` (in this order) to `url`, replacing any file there.
    public static func write(_ entries: [Entry], metadata: [String: String] = ["format": "pt"], to url: URL) throws {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\(quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.byteCount)]}")
            offset += entry.byteCount
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        var length = UInt64(header.count).littleEndian
        try file.write(contentsOf: Data(bytes: &length, count: 8))
        try file.write(contentsOf: Data(header))
        for entry in entries {
            let bytes = try entry.bytes()
            precondition(bytes.count == entry.byteCount, "tensor \(entry.name): \(bytes.count) bytes for \(entry.byteCount)")
            try file.write(contentsOf: bytes)
        }
    }

    /// `text` as a JSON string.
    private static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// `values` as little-endian bytes of `dtype` (rounded to nearest even for f16 and bf16).
    public static func bytes(_ values: [Float], as dtype: DType) -> Data {
        var data = Data(capacity: values.count * dtype.byteSize)
        switch dtype {
        case .f32:
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        case .f16:
            for v in values { withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        case .bf16:
            for v in values {
                let bits = v.bitPattern
                // Round to nearest even on the 16 bits dropped; NaN stays a (quiet) NaN.
                let rounded = v.isNaN ? (bits | 0x0040_0000) : bits &+ 0x7FFF &+ ((bits >> 16) & 1)
                withUnsafeBytes(of: UInt16(truncatingIfNeeded: rounded >> 16).littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }
}
