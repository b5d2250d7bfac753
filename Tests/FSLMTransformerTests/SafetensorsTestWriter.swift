import Foundation

/// Writes safetensors files byte by byte for the tests: a header JSON written by hand (so
/// tests can make it wrong on purpose) and a data section.
struct SafetensorsTestWriter {
    struct Item {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]
    }

    var items: [Item] = []
    var metadata: [String: String]? = ["format": "pt"]

    mutating func add(_ name: String, _ dtype: String, _ shape: [Int], _ bytes: [UInt8]) {
        items.append(Item(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    mutating func addF32(_ name: String, _ shape: [Int], _ values: [Float]) {
        add(name, "F32", shape, values.flatMap { Self.littleEndian($0.bitPattern) })
    }

    /// `{"dtype":...,"shape":[...],"data_offsets":[b,e]}` for one tensor.
    static func entryJSON(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
        #"{"dtype":"\#(dtype)","shape":[\#(shape.map(String.init).joined(separator: ","))],"data_offsets":[\#(begin),\#(end)]}"#
    }

    /// The header JSON with the items laid out one after the other.
    func headerJSON() -> String {
        var parts: [String] = []
        if let metadata {
            let pairs = metadata.keys.sorted().map { #""\#($0)":"\#(metadata[$0]!)""# }
            parts.append(#""__metadata__":{\#(pairs.joined(separator: ","))}"#)
        }
        var offset = 0
        for item in items {
            parts.append(#""\#(item.name)":\#(Self.entryJSON(item.dtype, item.shape, offset, offset + item.bytes.count))"#)
            offset += item.bytes.count
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The file: the header (space-padded to 8 bytes, as writers do) and the items' bytes.
    func bytes() -> [UInt8] {
        Self.file(header: headerJSON(), data: items.flatMap(\.bytes))
    }

    /// A file from a header text and data, with the header length written as `declaredLength`
    /// when given (to make it lie).
    static func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        return littleEndian(declaredLength ?? UInt64(headerBytes.count)) + headerBytes + data
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian, Array.init)
    }

    /// Writes `bytes` to `name` in `folder` (created if needed) and returns the file's URL.
    @discardableResult
    static func write(_ bytes: [UInt8], to folder: URL, as name: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A new empty folder under the temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
